import Features
import TensorKit

/// Exhaustive squared-Euclidean search over fixed reference rows (the paper's
/// D(P, Q) = ||f(P) - f(Q)||^2 of its ranking model; faiss calls this a flat L2 index).
///
/// Distances are expanded as ||q||^2 + ||r||^2 - 2 q.r: the inner products of a block of
/// queries with a block of references are one `BLAS.sgemm` (alpha = -2), the reference
/// norms are computed once here, and the top-k scan ranks by ||r||^2 - 2 q.r (the same
/// order as the distance; ||q||^2 is added to the k kept only). The expansion loses
/// precision for near-identical vectors: a distance may come out slightly negative and is
/// reported as 0, and near-ties may order differently from a direct sum of squares.
public struct SquaredL2Index: Sendable {
    public let dimension: Int
    public let count: Int
    /// `[count, dimension]` reference rows.
    public let references: [Float]
    /// `[count]`: ||r||^2 of each reference.
    public let norms: [Float]

    /// - Parameter references: `[count, dimension]`, row-major.
    public init(dimension: Int, references: [Float]) {
        precondition(dimension >= 1 && references.count % dimension == 0,
                     "\(references.count) values are not rows of \(dimension)")
        self.dimension = dimension
        self.count = references.count / dimension
        self.references = references
        self.norms = Self.squaredNorms(references, dimension: dimension)
    }

    /// `[rows]`: ||x_i||^2 = ||x_i - 0||^2 of each row of `values` (`[rows, dimension]`).
    static func squaredNorms(_ values: [Float], dimension: Int) -> [Float] {
        let rows = values.count / dimension
        let zero = [Float](repeating: 0, count: dimension)
        return values.withUnsafeBufferPointer { v in zero.withUnsafeBufferPointer { z in
            (0..<rows).map { FeatureDistance.squaredL2Distance(v.baseAddress! + $0 * dimension, z.baseAddress!, count: dimension) }
        } }
    }

    /// The `k` nearest references of each query row, nearest first.
    ///
    /// - Parameters:
    ///   - queries: `[Q, dimension]`, row-major.
    ///   - excluding: `[Q]`, or nil: per query, a reference row never returned (-1: none),
    ///     e.g. the query itself when queries and references are the same set.
    /// - Returns: reference rows and squared distances, `[Q, k]`, padded with -1 / NaN
    ///   when fewer than `k` references are eligible. Equal distances: smaller row first.
    public func search(queries: [Float], k: Int, excluding: [Int]? = nil) -> NeighbourList {
        precondition(queries.count % dimension == 0, "\(queries.count) query values are not rows of \(dimension)")
        let queryCount = queries.count / dimension
        precondition(excluding == nil || excluding!.count == queryCount, "one excluded row per query")
        let queryNorms = Self.squaredNorms(queries, dimension: dimension)
        var (ids, costs) = queries.withUnsafeBufferPointer { q in references.withUnsafeBufferPointer { r in
            norms.withUnsafeBufferPointer { n in
                Self.optionalPointer(excluding) { excluded in
                    NearestNeighbours.search(queryCount: queryCount, referenceCount: count, k: k,
                                             excluded: excluded, offsets: n.baseAddress) { queries, references, out in
                        BLAS.sgemm(transposeB: true, m: queries.count, n: references.count, k: dimension, alpha: -2,
                                   a: q.baseAddress! + queries.lowerBound * dimension, lda: dimension,
                                   b: r.baseAddress! + references.lowerBound * dimension, ldb: dimension,
                                   c: out, ldc: references.count)
                    }
                }
            }
        } }
        for q in 0..<queryCount {
            for slot in (q * k)..<((q + 1) * k) where ids[slot] >= 0 {
                costs[slot] = max(0, queryNorms[q] + costs[slot])
            }
        }
        return NeighbourList(queryCount: queryCount, k: k, ids: ids, scores: costs)
    }

    /// Calls `body` with a pointer to `values`, or with nil.
    static func optionalPointer<R>(_ values: [Int]?, _ body: (UnsafePointer<Int>?) -> R) -> R {
        guard let values else { return body(nil) }
        return values.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
