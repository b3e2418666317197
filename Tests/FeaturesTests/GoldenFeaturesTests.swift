import DatasetKit
import Features
import TensorKit
import XCTest

/// A test extractor: the first `length` pixels of the image (only its dimension matters
/// here; the feature matrices are built directly).
private struct FirstPixels: FeatureExtractor {
    let length: Int
    var name: String { "first-pixels" }
    func dimension(height: Int, width: Int) throws(FeatureError) -> Int { length }
    func extract(_ image: PlanarImage, into output: UnsafeMutableBufferPointer<Float>,
                 workspace: FeatureWorkspace) throws(FeatureError) {
        for i in 0..<length { output[i] = image.pixels[i] }
    }
}

final class GoldenFeaturesTests: XCTestCase {
    /// Triplets ordered by a planted combination D* = 0.8 d_1 + 0.05 d_2 of two components
    /// (L2 on 6 values in [0, 1], typically about 1; L1 on 4 values in [0, 10], typically
    /// about 13, so both contribute about equally): the learned weights recover the ratio
    /// 16 and rank held-out triplets almost perfectly, far better than either component.
    func testLearnedWeightsRecoverAPlantedCombination() throws {
        var data = RandomStream(seed: 7, name: "test/golden/data")
        let rows = 400
        var values: [Float] = []
        for _ in 0..<rows {
            for _ in 0..<6 { values.append(data.nextUniformFloat()) }
            for _ in 0..<4 { values.append(10 * data.nextUniformFloat()) }
        }
        let features = try FeatureMatrix(rows: rows, dimension: 10, values: values)
        var golden = try GoldenFeatures(components: [
            HandCraftedFeature(FirstPixels(length: 6), distance: .l2),
            HandCraftedFeature(FirstPixels(length: 4), distance: .l1),
        ], height: 4, width: 4)
        let planted: [Float] = [0.8, 0.05]
        func triplets(_ count: Int, rows range: Range<Int>) -> [Triplet] {
            var result: [Triplet] = []
            var distances = [Float](repeating: 0, count: 2)
            while result.count < count {
                let q = range.lowerBound + data.nextInt(below: range.count)
                let a = range.lowerBound + data.nextInt(below: range.count)
                let b = range.lowerBound + data.nextInt(below: range.count)
                guard q != a && q != b && a != b else { continue }
                func plantedDistance(_ x: Int) -> Float {
                    features.values.withUnsafeBufferPointer { p in
                        golden.componentDistances(p.baseAddress! + q * 10, p.baseAddress! + x * 10, into: &distances)
                    }
                    return planted[0] * distances[0] + planted[1] * distances[1]
                }
                let (da, db) = (plantedDistance(a), plantedDistance(b))
                guard da != db else { continue }
                result.append(da < db ? Triplet(query: q, positive: a, negative: b)
                                      : Triplet(query: q, positive: b, negative: a))
            }
            return result
        }
        let training = triplets(3000, rows: 0..<300), heldOut = triplets(2000, rows: 300..<400)
        var stream = RandomStream(seed: 7, name: GoldenWeightLearning.streamName)
        let fit = try golden.learnWeights(features: features, triplets: training,
                                          learning: try GoldenWeightLearning(), stream: &stream)
        let ratio = golden.weights[0] / golden.weights[1]
        func accuracy(_ weights: [Float]) throws -> Double {
            var g = golden
            try g.setWeights(weights)
            let right = heldOut.filter { g.distance(features, $0.query, $0.positive) < g.distance(features, $0.query, $0.negative) }
            return Double(right.count) / Double(heldOut.count)
        }
        let learned = try accuracy(golden.weights)
        let first = try accuracy([1, 0]), second = try accuracy([0, 1])
        print("golden weights \(golden.weights) (planted \(planted)), ratio \(ratio) vs \(planted[0] / planted[1]); "
              + "held-out accuracy \(learned), components alone \(first), \(second); training accuracy "
              + "\(fit.trainingAccuracy), hinge \(fit.meanHingeLoss)")
        XCTAssertEqual(ratio / (planted[0] / planted[1]), 1, accuracy: 0.15)
        XCTAssertGreaterThan(learned, 0.95)
        XCTAssertGreaterThan(learned, max(first, second) + 0.1)

        // Same triplets and stream: the same weights, bit for bit.
        var again = golden
        var stream2 = RandomStream(seed: 7, name: GoldenWeightLearning.streamName)
        try again.learnWeights(features: features, triplets: training, learning: try GoldenWeightLearning(),
                               stream: &stream2)
        XCTAssertEqual(again.weights, golden.weights)
    }

    func testConcatenationLayoutAndErrors() throws {
        let hog = try HOG(), lbp = try LocalBinaryPattern()
        let golden = try GoldenFeatures(components: [HandCraftedFeature(hog, distance: .l2),
                                                     HandCraftedFeature(lbp, distance: .chiSquare)],
                                        height: 32, width: 32)
        XCTAssertEqual(golden.segments, [0..<324, 324..<334])
        var image = PlanarImage(channels: 1, height: 32, width: 32)
        for y in 0..<32 { for x in 0..<32 { image[0, y, x] = Float((x * 7 + y * 3) % 11) / 10 } }
        let all = try golden.features(of: image)
        XCTAssertEqual(Array(all[0..<324]), try hog.features(of: image))
        XCTAssertEqual(Array(all[324...]), try lbp.features(of: image))
        XCTAssertThrowsError(try golden.dimension(height: 64, width: 64))
        var copy = golden
        XCTAssertThrowsError(try copy.setWeights([0, 0]))
        XCTAssertThrowsError(try copy.setWeights([1, -1]))
        let matrix = try FeatureMatrix(rows: 1, dimension: 334, values: all)
        var stream = RandomStream(seed: 1, name: GoldenWeightLearning.streamName)
        XCTAssertThrowsError(try copy.learnWeights(features: matrix, triplets: [Triplet(query: 0, positive: 0, negative: 3)],
                                                   learning: try GoldenWeightLearning(), stream: &stream)) { error in
            XCTAssertEqual(error as? FeatureError, .tripletOutOfRange(index: 3, rows: 1))
        }
    }
}
