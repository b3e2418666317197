import DatasetKit
import Evaluation
import Storage
import XCTest

final class ScoreAtTopKTests: XCTestCase {
    /// A one-dimensional world, squared L2, K = 2. Query 0 at x = 0; category 0 holds
    /// 1..5 at x = 1, 2, 3, 4, 2 (5 duplicates 2) and 7 at x = 0.1, which is not a
    /// candidate; 6 at x = 0.5 is in category 1. The candidates of 0 are 1..5 (0 itself
    /// and 7 left out, 6 in another category), ranked 1, 2, 5, 3, 4: 5 ties with 2 and
    /// comes after it in candidate order, so the top 2 is {1, 2}.
    func testHandWorkedCase() {
        let x: [Float] = [0, 1, 2, 3, 4, 2, 0.5, 0.1]
        let ranker = Ranker(indices: Array(0..<8), dimension: 1, vectors: x, comparison: .distance(.squaredL2))
        let categoryOf = [0, 0, 0, 0, 0, 0, 1, 0]
        let candidates = [0, 1, 2, 3, 4, 5, 6]
        let triplets = [
            Triplet(query: 0, positive: 1, negative: 3),  // A in top, right: +1
            Triplet(query: 0, positive: 4, negative: 2),  // B in top, wrong: -1
            Triplet(query: 0, positive: 3, negative: 4),  // neither in top: not counted
            Triplet(query: 0, positive: 2, negative: 5),  // A in top, tie: counted, 0
            Triplet(query: 0, positive: 5, negative: 3),  // 5 lost the tie for the top 2: not counted
            Triplet(query: 0, positive: 6, negative: 4),  // 6 is another category: not counted
            Triplet(query: 0, positive: 7, negative: 3),  // 7 is no candidate: not counted
        ]
        let result = ScoreAtTopK.evaluate(ranker, triplets: triplets, categoryOf: categoryOf, candidates: candidates, k: 2)
        XCTAssertEqual(result.score, 0)
        XCTAssertEqual(result.counted, 3)
        XCTAssertEqual(result.contributions, [1, -1, 0, 0, 0, 0, 0])
        XCTAssertEqual(RowEvaluation.neighbours(ranker, queries: [0], candidates: [1, 2, 3, 4, 5], k: 3), [[1, 2, 5]])
        // K larger than the category: every triplet with A or B a candidate of the category
        // counts; the last one by B = 3, with sim(0, 7) = -0.01 > sim(0, 3) = -9.
        let wide = ScoreAtTopK.evaluate(ranker, triplets: triplets, categoryOf: categoryOf, candidates: candidates, k: 30)
        XCTAssertEqual(wide.counted, 7)
        XCTAssertEqual(wide.contributions, [1, -1, 1, 0, 1, 1, 1])
        XCTAssertEqual(wide.score, 4)
    }

    /// The fixture's Score-at-top-K case through `RowEvaluation.evaluate`: score,
    /// counted triplets and every per-triplet contribution against the numpy
    /// implementation of the paper's definition, and the other metrics of the row.
    func testRowEvaluationMatchesTheNumpyReference() throws {
        let group = try MetricFixture.open().root.group("score_at_k")
        let (x, shape) = try group.read(Float.self, from: "embeddings")
        let categories = try group.read(Int.self, from: "categories").values
        let candidates = try group.read(Int.self, from: "candidates").values
        let t = try group.read(Int.self, from: "triplets").values
        let triplets = stride(from: 0, to: t.count, by: 3).map { Triplet(query: t[$0], positive: t[$0 + 1], negative: t[$0 + 2]) }
        let k = Int(try group.attribute("k", as: Int64.self))
        let recallKs = try group.read(Int.self, from: "recall_ks").values
        let ranker = Ranker(indices: Array(0..<shape[0]), dimension: shape[1], vectors: x, comparison: .distance(.squaredL2))

        let row = RowEvaluation.evaluate(ranker, triplets: triplets, categoryOf: categories, candidates: candidates,
                                         topK: k, recallKs: recallKs)
        XCTAssertEqual(row.topK, k)
        XCTAssertEqual(row.scoreAtK, try group.readScalar(Int.self, from: "score"))
        XCTAssertEqual(row.scoreAtKCounted, try group.readScalar(Int.self, from: "counted"))
        XCTAssertEqual(row.scoreContributions.map(Double.init), try group.read(Double.self, from: "contributions").values)
        XCTAssertEqual(row.outcomes.map(Double.init), try group.read(Double.self, from: "outcomes").values)
        XCTAssertEqual(row.similarityPrecision, try group.readScalar(Double.self, from: "similarity_precision"), accuracy: 1e-12)
        var worst = 0.0
        for (value, key) in [(row.precisionAt1, "precision_at_1"), (row.rPrecision, "r_precision"), (row.mapAtR, "map_at_r")] {
            let diff = abs(value - (try group.readScalar(Double.self, from: key)))
            XCTAssertLessThanOrEqual(diff, 1e-12, key)
            worst = max(worst, diff)
        }
        for (k, expected) in zip(recallKs, try group.read(Double.self, from: "recall_at_k").values) {
            let diff = abs(row.recallAtK[k]! - expected)
            XCTAssertLessThanOrEqual(diff, 1e-12, "Recall@\(k)")
            worst = max(worst, diff)
        }
        XCTAssertEqual(row.rPrecisionPerQuery.count, row.retrievalQueries.count)
        XCTAssertEqual(row.retrievalQueries, candidates, "every category has more than one candidate")
        print("Score@\(k) \(row.scoreAtK) over \(row.scoreAtKCounted) of \(triplets.count) triplets (numpy: same); "
              + "retrieval metrics max |diff| = \(worst)")
    }

    func testScalarNamesAreFixed() {
        let row = RowMetrics(similarityPrecision: 0.75, outcomes: [1, 0.5], topK: 30, scoreAtK: 7, scoreAtKCounted: 9,
                             scoreContributions: [1, 0], precisionAt1: 0.5, recallAtK: [1: 0.5, 4: 0.75],
                             rPrecision: 0.25, mapAtR: 0.125)
        XCTAssertEqual(row.scalars, ["score_at_k": 7, "score_at_k_counted": 9, "precision_at_1": 0.5,
                                     "recall_at_1": 0.5, "recall_at_4": 0.75, "r_precision": 0.25, "map_at_r": 0.125])
    }
}
