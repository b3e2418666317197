import Features
import TensorKit

extension NearestNeighbours {
    /// The `k` most similar candidates of each query under `ranker`'s comparison (higher
    /// similarity = closer), for any comparison (for the paper's Score-at-top-K, the model
    /// ranks the images of a query's category; README, "The paper in brief").
    ///
    /// - squared L2 and L2: `SquaredL2Index` (sgemm, ||q||^2 + ||r||^2 - 2 q.r); the
    ///   similarity is minus the squared distance, or minus its square root for L2;
    /// - bilinear a^T W b: one sgemm of the query rows with the candidates' W x rows,
    ///   `[Q, D] x [D, N]`;
    /// - L1, chi-square and custom distances: the distance of every pair, in blocks.
    ///
    /// The sgemm paths round differently from `Ranker.similarity` (a plain sum per pair),
    /// so a near-tie may order differently there; exact ties, and everything else, agree.
    ///
    /// - Parameters:
    ///   - queries, candidates: dataset indices, all rows of `ranker`; `candidates` distinct.
    ///   - excludingQuery: leave a query out of its own neighbours (same dataset index).
    /// - Returns: `[queries.count, k]` candidate dataset indices and similarities, most
    ///   similar first; equal similarities in the order of `candidates`; padded with -1 /
    ///   NaN where fewer than `k` candidates are eligible.
    public static func search(_ ranker: Ranker, queries: [Int], candidates: [Int], k: Int,
                              excludingQuery: Bool = true) -> NeighbourList {
        let d = ranker.dimension
        var position: [Int: Int] = [:]
        for (p, index) in candidates.enumerated() {
            precondition(position.updateValue(p, forKey: index) == nil, "candidate \(index) listed twice")
        }
        let excluded = queries.map { excludingQuery ? position[$0] ?? -1 : -1 }
        let queryRows = gather(ranker.vectors, rows: queries.map { rowOf($0, in: ranker) }, dimension: d)
        let candidateRows = candidates.map { rowOf($0, in: ranker) }

        var result: NeighbourList
        switch ranker.comparison {
        case .distance(let distance) where distance == .squaredL2 || distance == .l2:
            let index = SquaredL2Index(dimension: d, references: queries == candidates
                                       ? queryRows : gather(ranker.vectors, rows: candidateRows, dimension: d))
            result = index.search(queries: queryRows, k: k, excluding: excluded)
            for slot in result.scores.indices where result.ids[slot] >= 0 {
                result.scores[slot] = distance == .l2 ? -result.scores[slot].squareRoot() : -result.scores[slot]
            }
        case .bilinear:
            let transformed = gather(ranker.transformed, rows: candidateRows, dimension: d)
            result = costSearch(queryCount: queries.count, referenceCount: candidates.count, k: k, excluded: excluded) {
                q, r, out in
                queryRows.withUnsafeBufferPointer { x in transformed.withUnsafeBufferPointer { t in
                    BLAS.sgemm(transposeB: true, m: q.count, n: r.count, k: d, alpha: -1,
                               a: x.baseAddress! + q.lowerBound * d, lda: d,
                               b: t.baseAddress! + r.lowerBound * d, ldb: d, c: out, ldc: r.count)
                } }
            }
        case .distance(let distance):
            let references = gather(ranker.vectors, rows: candidateRows, dimension: d)
            result = pairwiseSearch(queryRows, references, dimension: d, k: k, excluded: excluded) {
                distance($0, $1, count: d)
            }
        case .customDistance(_, let distance):
            let references = gather(ranker.vectors, rows: candidateRows, dimension: d)
            result = pairwiseSearch(queryRows, references, dimension: d, k: k, excluded: excluded, distance)
        }
        for slot in result.ids.indices where result.ids[slot] >= 0 { result.ids[slot] = candidates[result.ids[slot]] }
        return result
    }

    /// Search with costs from `costBlock`; returns similarities = -cost.
    private static func costSearch(queryCount: Int, referenceCount: Int, k: Int, excluded: [Int],
                                   costBlock: (Range<Int>, Range<Int>, UnsafeMutablePointer<Float>) -> Void) -> NeighbourList {
        let (ids, costs) = excluded.withUnsafeBufferPointer { e in
            search(queryCount: queryCount, referenceCount: referenceCount, k: k, excluded: e.baseAddress,
                   offsets: nil, costBlock: costBlock)
        }
        return NeighbourList(queryCount: queryCount, k: k, ids: ids, scores: costs.map { -$0 })
    }

    /// Search with cost = `distance(query row, reference row)` for every pair.
    private static func pairwiseSearch(_ queries: [Float], _ references: [Float], dimension d: Int, k: Int,
                                       excluded: [Int],
                                       _ distance: (UnsafePointer<Float>, UnsafePointer<Float>) -> Float) -> NeighbourList {
        queries.withUnsafeBufferPointer { x in references.withUnsafeBufferPointer { y in
            costSearch(queryCount: queries.count / d, referenceCount: references.count / d, k: k, excluded: excluded) {
                q, r, out in
                for (i, query) in q.enumerated() {
                    let a = x.baseAddress! + query * d
                    for (j, reference) in r.enumerated() {
                        out[i * r.count + j] = distance(a, y.baseAddress! + reference * d)
                    }
                }
            }
        } }
    }

    private static func rowOf(_ index: Int, in ranker: Ranker) -> Int {
        guard let row = ranker.row(of: index) else { preconditionFailure("ranker has no row for image \(index)") }
        return row
    }

    /// `[rows.count, dimension]`: the given rows of `values`, in order.
    private static func gather(_ values: [Float], rows: [Int], dimension: Int) -> [Float] {
        var out = [Float](repeating: 0, count: rows.count * dimension)
        for (i, row) in rows.enumerated() {
            out.replaceSubrange((i * dimension)..<((i + 1) * dimension), with: values[(row * dimension)..<((row + 1) * dimension)])
        }
        return out
    }
}
