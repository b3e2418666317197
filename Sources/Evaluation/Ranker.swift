import Features
import TensorKit

/// How a method compares two images once trained: rows of vectors (one per image, in the
/// order of `indices`) and a similarity on them. Every method, learned or hand-crafted,
/// ends in one of these, so the evaluator and the reports never special-case a method:
/// every method is one or more rows of the comparison table, scored the same way.
public struct Ranker: Sendable {
    /// How two rows are compared. Higher similarity = more alike.
    public enum Comparison: Sendable {
        /// Similarity = -distance (squared L2 for embeddings, as the paper's D).
        case distance(FeatureDistance)
        /// Similarity = -d(a, b) for a distance that is not one of the standard ones (the
        /// golden features' weighted sum of per-feature distances); `name` describes it.
        case customDistance(name: String, @Sendable (UnsafePointer<Float>, UnsafePointer<Float>) -> Float)
        /// Similarity = a^T W b (OASIS), W row-major `[dimension, dimension]`.
        case bilinear(weights: [Float])
    }

    /// Dataset indices of the rows.
    public let indices: [Int]
    public let dimension: Int
    /// `indices.count * dimension` values, row after row.
    public let vectors: [Float]
    public let comparison: Comparison
    /// For `.bilinear`: row i holds W x_i, so a^T W b is one dot product (empty otherwise).
    let transformed: [Float]
    private let rowOfIndex: [Int: Int]

    public init(indices: [Int], dimension: Int, vectors: [Float], comparison: Comparison) {
        precondition(vectors.count == indices.count * dimension,
                     "\(vectors.count) values for \(indices.count) rows of \(dimension)")
        self.indices = indices
        self.dimension = dimension
        self.vectors = vectors
        self.comparison = comparison
        if case .bilinear(let w) = comparison {
            precondition(w.count == dimension * dimension, "bilinear weights must be [D, D]")
            // transformed = X W^T: row i is W x_i.
            var t = [Float](repeating: 0, count: vectors.count)
            if !indices.isEmpty {
                vectors.withUnsafeBufferPointer { x in w.withUnsafeBufferPointer { wp in
                    t.withUnsafeMutableBufferPointer { tp in
                        BLAS.sgemm(transposeB: true, m: indices.count, n: dimension, k: dimension,
                                   a: x.baseAddress!, lda: dimension, b: wp.baseAddress!, ldb: dimension,
                                   c: tp.baseAddress!, ldc: dimension)
                    }
                } }
            }
            self.transformed = t
        } else {
            self.transformed = []
        }
        var rows: [Int: Int] = [:]
        for (row, index) in indices.enumerated() { rows[index] = row }
        self.rowOfIndex = rows
    }

    /// The row of dataset index `index`, if this ranker holds it.
    public func row(of index: Int) -> Int? { rowOfIndex[index] }

    /// Similarity of rows `a` and `b` (higher = more similar).
    public func similarity(rows a: Int, _ b: Int) -> Float {
        vectors.withUnsafeBufferPointer { v in
            let pa = v.baseAddress! + a * dimension, pb = v.baseAddress! + b * dimension
            switch comparison {
            case .distance(let distance):
                return -distance(pa, pb, count: dimension)
            case .customDistance(_, let distance):
                return -distance(pa, pb)
            case .bilinear:
                return transformed.withUnsafeBufferPointer { t in
                    let wb = t.baseAddress! + b * dimension
                    var total: Float = 0
                    for i in 0..<dimension { total += pa[i] * wb[i] }
                    return total
                }
            }
        }
    }

    /// Similarity of two dataset indices (both must be rows of this ranker).
    public func similarity(_ a: Int, _ b: Int) -> Float {
        guard let ra = row(of: a), let rb = row(of: b) else {
            preconditionFailure("ranker has no row for image \(row(of: a) == nil ? a : b)")
        }
        return similarity(rows: ra, rb)
    }
}
