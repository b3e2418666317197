import DatasetKit
import TensorKit
import XCTest

/// Hard mining on a hand-made batch: five points on a line (second coordinate 0),
/// labels A A B B A at x = 0, 1, 1.2, 3, -1. Squared distances from each anchor are
/// worked out in the comments; D(0, 1) = D(0, 4) = 1 is a tie.
final class OnlineHardMiningTests: XCTestCase {
    let embeddings: [Float] = [0, 0, 1, 0, 1.2, 0, 3, 0, -1, 0]
    let labels = [0, 0, 1, 1, 0]

    func testBatchHardPicksTheFarthestPositiveAndNearestNegative() throws {
        let triplets = try OnlineHardMining.batchHardTriplets(embeddings: embeddings, dimension: 2, labels: labels)
        XCTAssertEqual(triplets, [
            Triplet(query: 0, positive: 1, negative: 2),  // positives 1 (1), 4 (1): tie -> 1; negatives 2 (1.44), 3 (9)
            Triplet(query: 1, positive: 4, negative: 2),  // positives 0 (1), 4 (4); negatives 2 (0.04), 3 (4)
            Triplet(query: 2, positive: 3, negative: 1),  // positive 3 (3.24); negatives 0 (1.44), 1 (0.04), 4 (4.84)
            Triplet(query: 3, positive: 2, negative: 1),  // positive 2 (3.24); negatives 0 (9), 1 (4), 4 (16)
            Triplet(query: 4, positive: 1, negative: 2),  // positives 0 (1), 1 (4); negatives 2 (4.84), 3 (16)
        ])
        let tensor = Tensor(shape: [5, 2], values: embeddings)
        XCTAssertEqual(try OnlineHardMining.batchHardTriplets(embeddings: tensor, labels: labels), triplets)
    }

    func testSemiHardPicksTheNearestNegativeFartherThanThePositiveWithinTheMargin() throws {
        let triplets = try OnlineHardMining.semiHardTriplets(embeddings: embeddings, dimension: 2, labels: labels, margin: 1)
        XCTAssertEqual(triplets, [
            Triplet(query: 0, positive: 1, negative: 2),  // D(0,1) = 1 < D(0,2) = 1.44 < 2
            Triplet(query: 0, positive: 4, negative: 2),
            // (1, 0): no negative in (1, 2); (1, 4): D(1,3) = 4 is not > D(1,4) = 4.
            // (2, 3): nothing in (3.24, 4.24).
            Triplet(query: 3, positive: 2, negative: 1),  // D(3,1) = 4 in (3.24, 4.24)
            // (4, 0): nothing in (1, 2).
            Triplet(query: 4, positive: 1, negative: 2),  // D(4,2) = 4.84 in (4, 5)
        ])
        // Two semi-hard candidates: the nearer one wins; equal distances go to the lower index.
        let line: [Float] = [0, 1, 1.5, 1.8, 1.5]
        let picked = try OnlineHardMining.semiHardTriplets(embeddings: line, dimension: 1, labels: [0, 0, 1, 1, 1],
                                                           margin: 3)
        XCTAssertEqual(picked.first { $0.query == 0 && $0.positive == 1 }?.negative, 2)
    }

    func testGradedRelevanceDecidesPositivesAndNegatives() throws {
        // One label; anchor 0 at 0 with r(0, 1) = 0.9 at 1, r(0, 2) = 0.2 at 0.5, r(0, 3) = 0.5 at 2.
        let points: [Float] = [0, 1, 0.5, 2]
        let r: [[Float]] = [[0, 0.9, 0.2, 0.5], [0.9, 0, 0.3, 0.3], [0.2, 0.3, 0, 0.3], [0.5, 0.3, 0.3, 0]]
        let mined = try OnlineHardMining.batchHardTriplets(embeddings: points, dimension: 1, labels: [0, 0, 0, 0],
                                                           relevance: { r[$0][$1] })
        // Hardest positive of 0 is 3 (D = 4); the only less relevant image is 2.
        XCTAssertEqual(mined.first { $0.query == 0 }, Triplet(query: 0, positive: 3, negative: 2))
        let strict = try OnlineHardMining.batchHardTriplets(embeddings: points, dimension: 1, labels: [0, 0, 0, 0],
                                                            relevanceMargin: 0.4, relevance: { r[$0][$1] })
        XCTAssertNil(strict.first { $0.query == 0 }, "0.5 - 0.2 < T_r = 0.4")
    }

    func testShapeErrorsAreTyped() {
        XCTAssertThrowsError(try OnlineHardMining.batchHardTriplets(embeddings: [0, 1, 2], dimension: 2, labels: [0, 1])) {
            guard case .shapeMismatch = $0 as? SamplingError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try OnlineHardMining.semiHardTriplets(embeddings: [0, 1], dimension: 1, labels: [0, 1],
                                                                   margin: 0))
        XCTAssertThrowsError(try OnlineHardMining.batchHardTriplets(embeddings: Tensor(zeros: [4]), labels: [0, 1, 2, 3]))
    }
}
