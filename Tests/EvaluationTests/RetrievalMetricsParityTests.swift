import Evaluation
import Storage
import XCTest

/// Precision@1, R-Precision, MAP@R against pytorch-metric-learning's AccuracyCalculator
/// and Recall@K against numpy brute force, through the fixture (see `MetricFixture`).
/// The reference calls were (abridged from Tests/Reference/make_metric_fixtures.py):
///
///     AccuracyCalculator(include=("precision_at_1", "r_precision",
///                                 "mean_average_precision_at_r"),
///                        k="max_bin_count").get_accuracy(embeddings, labels)
///     recall_at_k = mean over queries with R >= 1 of any(same[:k])
final class RetrievalMetricsParityTests: XCTestCase {
    /// The metrics are means of rank-based counts: equal up to the order of summation.
    static let tolerance = 1e-12

    func testEverySetMatchesPyTorchMetricLearningAndNumpy() throws {
        let file = try MetricFixture.open()
        var worst = 0.0
        for name in MetricFixture.setNames {
            let group = try file.root.group("sets/\(name)")
            let set = try MetricFixture.labelledSet(group)
            let recallKs = try group.read(Int.self, from: "recall_ks").values
            let ranker = set.ranker(.distance(.squaredL2))
            let all = Array(0..<set.count)
            let length = RetrievalMetrics.listLength(labels: set.labels, recallKs: recallKs)
            let lists = RowEvaluation.neighbours(ranker, queries: all, candidates: all, k: length)
            let ours = RetrievalMetrics(labels: set.labels, neighbours: lists, recallKs: recallKs)

            func check(_ value: Double, _ key: String) throws {
                for stored in [key, "pml_\(key)"] {
                    let expected = try group.readScalar(Double.self, from: stored)
                    let diff = abs(value - expected)
                    XCTAssertLessThanOrEqual(diff, Self.tolerance, "\(name)/\(stored): ours \(value), reference \(expected)")
                    worst = max(worst, diff)
                }
            }
            try check(ours.precisionAt1, "precision_at_1")
            try check(ours.rPrecision, "r_precision")
            try check(ours.mapAtR, "map_at_r")
            let recall = try group.read(Double.self, from: "recall_at_k").values
            for (k, expected) in zip(recallKs, recall) {
                let diff = abs(ours.recallAtK[k]! - expected)
                XCTAssertLessThanOrEqual(diff, Self.tolerance, "\(name): Recall@\(k) ours \(ours.recallAtK[k]!), numpy \(expected)")
                worst = max(worst, diff)
            }
            XCTAssertEqual(ours.countedQueries, try group.read(Int.self, from: "counted_queries").values, name)
            for (key, values) in [("r_precision_per_query", ours.rPrecisionPerQuery), ("map_at_r_per_query", ours.mapAtRPerQuery)] {
                let expected = try group.read(Double.self, from: key).values
                XCTAssertEqual(values.count, expected.count, "\(name)/\(key)")
                let diff = zip(values, expected).map { abs($0 - $1) }.max() ?? 0
                XCTAssertLessThanOrEqual(diff, Self.tolerance, "\(name)/\(key): max |diff| \(diff)")
                worst = max(worst, diff)
            }
            print("\(name): P@1 \(ours.precisionAt1), R-Precision \(ours.rPrecision), MAP@R \(ours.mapAtR), "
                  + "Recall@K \(recallKs.map { ours.recallAtK[$0]! }) over \(ours.countedQueries.count) of \(set.count) queries")
        }
        print("Retrieval metrics vs pytorch-metric-learning and numpy over \(MetricFixture.setNames.count) sets: max |diff| = \(worst)")
    }
}
