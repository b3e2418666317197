import Evaluation
import Features
import Storage
import XCTest

/// Top-k neighbour lists against the fixture's numpy brute force (float64 distances, ties
/// to the smaller index, the query left out), which the fixture script checked against
/// faiss IndexFlatL2 and scikit-learn NearestNeighbors(algorithm="brute"). The quantized
/// and ties sets are exact in float32 whatever the summation order, so the lists must
/// match exactly, tie order included.
final class NeighbourParityTests: XCTestCase {
    /// Rows of `ours` that differ from `expected`.
    private func mismatches(_ ours: [[Int]], _ expected: [[Int]]) -> Int {
        XCTAssertEqual(ours.count, expected.count)
        return zip(ours, expected).filter { $0 != $1 }.count
    }

    func testSquaredL2NeighboursMatchTheReference() throws {
        let file = try MetricFixture.open()
        for name in MetricFixture.setNames {
            let group = try file.root.group("sets/\(name)")
            let set = try MetricFixture.labelledSet(group)
            let expected = try MetricFixture.rows(group, "neighbours")
            let k = expected[0].count
            let all = Array(0..<set.count)
            // The matrix API, the query excluded by row.
            let index = SquaredL2Index(dimension: set.dimension, references: set.embeddings)
            let direct = index.search(queries: set.embeddings, k: k, excluding: all).rows
            XCTAssertEqual(mismatches(direct, expected), 0, "\(name): SquaredL2Index")
            // Through a ranker, squared L2 and L2 (same order).
            for distance in [FeatureDistance.squaredL2, .l2] {
                let ours = RowEvaluation.neighbours(set.ranker(.distance(distance)), queries: all, candidates: all, k: k)
                XCTAssertEqual(mismatches(ours, expected), 0, "\(name): ranker \(distance)")
            }
        }
    }

    func testSquaredDistancesMatchADirectSum() throws {
        let file = try MetricFixture.open()
        let set = try MetricFixture.labelledSet(try file.root.group("sets/continuous"))
        let index = SquaredL2Index(dimension: set.dimension, references: set.embeddings)
        let found = index.search(queries: set.embeddings, k: 5)
        var worst: Float = 0
        for q in 0..<set.count {
            for slot in 0..<5 {
                let r = found.ids[q * 5 + slot]
                var direct = 0.0
                for i in 0..<set.dimension {
                    let d = Double(set.embeddings[q * set.dimension + i]) - Double(set.embeddings[r * set.dimension + i])
                    direct += d * d
                }
                worst = max(worst, abs(found.scores[q * 5 + slot] - Float(direct)) / max(1, Float(direct)))
            }
            // Not excluded: each query finds itself first, at distance ~0 (clamped at 0).
            XCTAssertEqual(found.ids[q * 5], q)
        }
        print("SquaredL2Index distances vs a float64 direct sum: max relative |diff| = \(worst)")
        XCTAssertLessThanOrEqual(worst, 1e-5)
    }

    func testL1BilinearAndChiSquareNeighboursMatchTheReference() throws {
        let file = try MetricFixture.open()
        let quantized = try file.root.group("sets/quantized")
        let set = try MetricFixture.labelledSet(quantized)
        let all = Array(0..<set.count)
        let l1 = try MetricFixture.rows(quantized, "l1_neighbours")
        let oursL1 = RowEvaluation.neighbours(set.ranker(.distance(.l1)), queries: all, candidates: all, k: l1[0].count)
        XCTAssertEqual(mismatches(oursL1, l1), 0, "L1 (scikit-learn manhattan)")

        let weights = try quantized.read(Float.self, from: "bilinear_weights").values
        let bilinear = try MetricFixture.rows(quantized, "bilinear_neighbours")
        let oursBilinear = RowEvaluation.neighbours(set.ranker(.bilinear(weights: weights)), queries: all, candidates: all,
                                                    k: bilinear[0].count)
        XCTAssertEqual(mismatches(oursBilinear, bilinear), 0, "bilinear a^T W b")

        let continuous = try file.root.group("sets/continuous")
        let positive = try MetricFixture.labelledSet(continuous)
        let absolute = MetricFixture.LabelledSet(count: positive.count, dimension: positive.dimension,
                                                 embeddings: positive.embeddings.map { abs($0) }, labels: positive.labels)
        let chi = try MetricFixture.rows(continuous, "chi_square_neighbours")
        let all2 = Array(0..<absolute.count)
        let oursChi = RowEvaluation.neighbours(absolute.ranker(.distance(.chiSquare)), queries: all2, candidates: all2,
                                               k: chi[0].count)
        XCTAssertEqual(mismatches(oursChi, chi), 0, "chi-square (scikit-learn additive_chi2_kernel)")
        // A custom distance goes through the same plain loop.
        let custom = Ranker.Comparison.customDistance(name: "l1 by hand") { a, b in
            (0..<set.dimension).reduce(Float(0)) { $0 + abs(a[$1] - b[$1]) }
        }
        let oursCustom = RowEvaluation.neighbours(set.ranker(custom), queries: all, candidates: all, k: l1[0].count)
        XCTAssertEqual(mismatches(oursCustom, l1), 0, "custom L1")
    }
}
