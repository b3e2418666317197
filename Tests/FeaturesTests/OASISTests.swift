import DatasetKit
import Features
import TensorKit
import XCTest

final class OASISTests: XCTestCase {
    /// A planted bilinear similarity S*(p, q) = p^T W* q with a random (non-symmetric)
    /// W*: triplets ordered by S* on 300 training vectors; OASIS ranks triplets of 100
    /// held-out vectors (never seen in training) far better than the identity.
    func testRecoversAPlantedBilinearSimilarity() throws {
        let d = 24, rows = 400
        var data = RandomStream(seed: 11, name: "test/oasis/data")
        let values = (0..<(rows * d)).map { _ in Float(data.nextNormal()) }
        let features = try FeatureMatrix(rows: rows, dimension: d, values: values)
        let planted = try OASIS(dimension: d, matrix: (0..<(d * d)).map { _ in Float(data.nextNormal()) })

        var sampling = RandomStream(seed: 11, name: "test/oasis/triplets")
        func nextTriplet(in range: Range<Int>) -> Triplet {
            while true {
                let q = range.lowerBound + sampling.nextInt(below: range.count)
                let a = range.lowerBound + sampling.nextInt(below: range.count)
                let b = range.lowerBound + sampling.nextInt(below: range.count)
                guard q != a && q != b && a != b else { continue }
                let sa = planted.similarity(features.row(q), features.row(a))
                let sb = planted.similarity(features.row(q), features.row(b))
                guard sa != sb else { continue }
                return sa > sb ? Triplet(query: q, positive: a, negative: b) : Triplet(query: q, positive: b, negative: a)
            }
        }
        let heldOut = (0..<2000).map { _ in nextTriplet(in: 300..<400) }
        func accuracy(_ model: OASIS) -> Double {
            let right = heldOut.filter {
                model.similarity(features.row($0.query), features.row($0.positive))
                    > model.similarity(features.row($0.query), features.row($0.negative))
            }
            return Double(right.count) / Double(heldOut.count)
        }

        let identity = try OASIS(dimension: d)
        var model = identity
        let report = try model.train(features: features, parameters: try OASISParameters(steps: 30000, aggressiveness: 0.1),
                                     nextTriplet: { nextTriplet(in: 0..<300) })
        let learned = accuracy(model), baseline = accuracy(identity)
        print("OASIS planted W*: held-out triplet accuracy \(learned) (identity \(baseline)); "
              + "\(report.updates) updates in \(report.steps) steps; mean loss per 1000 steps "
              + "\(report.meanLoss.first ?? -1) -> \(report.meanLoss.last ?? -1)")
        XCTAssertGreaterThan(learned, 0.9)
        XCTAssertGreaterThan(learned, baseline + 0.3)
        XCTAssertLessThan(report.meanLoss.last!, report.meanLoss.first!)
    }

    /// One update by hand: q = e0, p+ = e1, p- = e2, W = I: l = 1, V = e0 (e1 - e2)^T,
    /// ||V||^2 = 2, tau = min(C, 1/2).
    func testSinglePassiveAggressiveStep() throws {
        let features = try FeatureMatrix(rows: 3, dimension: 3, values: [1, 0, 0, 0, 1, 0, 0, 0, 1])
        for (c, tau) in [(Float(0.1), Float(0.1)), (Float(10), Float(0.5))] {
            var model = try OASIS(dimension: 3)
            let report = try model.train(features: features, parameters: try OASISParameters(steps: 1, aggressiveness: c),
                                         nextTriplet: { Triplet(query: 0, positive: 1, negative: 2) })
            XCTAssertEqual(report.updates, 1)
            XCTAssertEqual(report.meanLoss, [1])
            XCTAssertEqual(model.matrix, [1, tau, -tau, 0, 1, 0, 0, 0, 1])
        }
        var symmetric = try OASIS(dimension: 3)
        try symmetric.train(features: features, parameters: try OASISParameters(steps: 1, aggressiveness: 10, symmetrizeEvery: 1),
                            nextTriplet: { Triplet(query: 0, positive: 1, negative: 2) })
        XCTAssertEqual(symmetric.matrix, [1, 0.25, -0.25, 0.25, 1, 0, -0.25, 0, 1])
    }

    func testBatchSimilaritiesMatchPairwiseAndErrors() throws {
        var data = RandomStream(seed: 5, name: "test/oasis/batch")
        let d = 7
        let model = try OASIS(dimension: d, matrix: (0..<(d * d)).map { _ in data.nextUniform(-1, 1) })
        let q = try FeatureMatrix(rows: 3, dimension: d, values: (0..<(3 * d)).map { _ in data.nextUniform(-1, 1) })
        let c = try FeatureMatrix(rows: 5, dimension: d, values: (0..<(5 * d)).map { _ in data.nextUniform(-1, 1) })
        let all = try model.similarities(queries: q, candidates: c)
        for i in 0..<3 {
            for j in 0..<5 {
                XCTAssertEqual(all[i * 5 + j], model.similarity(q.row(i), c.row(j)), accuracy: 1e-5)
            }
        }
        var copy = model
        XCTAssertThrowsError(try copy.train(features: q, parameters: try OASISParameters(steps: 1),
                                            nextTriplet: { Triplet(query: 0, positive: 1, negative: 9) })) { error in
            XCTAssertEqual(error as? FeatureError, .tripletOutOfRange(index: 9, rows: 3))
        }
        XCTAssertThrowsError(try OASIS(dimension: 3, matrix: [1, 2]))
        XCTAssertThrowsError(try OASISParameters(steps: 0))
    }
}
