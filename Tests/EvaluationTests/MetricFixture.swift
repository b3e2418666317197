import Evaluation
import Foundation
import Storage

/// `Tests/Fixtures/metrics-reference.h5`, written by `Tests/Reference/make_metric_fixtures.py`:
/// labelled embedding sets with pytorch-metric-learning's AccuracyCalculator values
/// (precision_at_1, r_precision, mean_average_precision_at_r; k = "max_bin_count") and the
/// same from numpy brute force, Recall@K (numpy), top-k neighbours (numpy, checked against
/// faiss IndexFlatL2 and scikit-learn NearestNeighbors), and a Score-at-top-K case
/// computed by a plain numpy implementation of the paper's definition.
enum MetricFixture {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/metrics-reference.h5").path

    static func open() throws -> HDF5File { try HDF5File(reading: path) }

    /// The labelled sets: "quantized" (exact arithmetic, duplicates, a class of one),
    /// "ties" (many equal distances), "continuous" (Gaussian, separated distances).
    static let setNames = ["quantized", "ties", "continuous"]

    struct LabelledSet {
        let count: Int
        let dimension: Int
        /// `[count, dimension]`.
        let embeddings: [Float]
        let labels: [Int]

        func ranker(_ comparison: Ranker.Comparison) -> Ranker {
            Ranker(indices: Array(0..<count), dimension: dimension, vectors: embeddings, comparison: comparison)
        }
    }

    static func labelledSet(_ group: HDF5Group) throws -> LabelledSet {
        let (values, shape) = try group.read(Float.self, from: "embeddings")
        return LabelledSet(count: shape[0], dimension: shape[1], embeddings: values,
                           labels: try group.read(Int.self, from: "labels").values)
    }

    /// `[n, k]` neighbour lists stored under `name`, as rows.
    static func rows(_ group: HDF5Group, _ name: String) throws -> [[Int]] {
        let (values, shape) = try group.read(Int.self, from: name)
        return (0..<shape[0]).map { Array(values[($0 * shape[1])..<(($0 + 1) * shape[1])]) }
    }
}
