import Evaluation

extension Embedding {
    /// One result of `nearest(to:comparison:k:)`.
    public struct Neighbour: Equatable, Sendable {
        /// 1 for the most similar image.
        public var rank: Int
        /// The row in `paths` / `vectors`.
        public var index: Int
        public var path: String
        /// As `Ranker.similarity`: higher = more alike (a negated distance for distances).
        public var similarity: Float
    }

    /// The `k` images most similar to `query` (one vector of `dimension` values), best
    /// first, by exhaustive search: `Ranker.similarity(query, image)` for every image, the
    /// similarity the run's evaluation ranks by. `comparison` is the row's, from the rebuilt
    /// model (a custom distance is code, not data). Ties keep path order; NaN ranks last.
    public func nearest(to query: [Float], comparison: Ranker.Comparison, k: Int) throws -> [Neighbour] {
        guard query.count == dimension else {
            throw EmbeddingError.dimensionMismatch(file: source.runFile, index: dimension, query: query.count)
        }
        let count = paths.count
        let ranker = Ranker(indices: Array(0...count), dimension: dimension, vectors: vectors + query, comparison: comparison)
        let scored = (0..<count).map { (index: $0, similarity: ranker.similarity(rows: count, $0)) }
        let best = scored.sorted { a, b in
            if a.similarity.isNaN != b.similarity.isNaN { return b.similarity.isNaN }
            if a.similarity != b.similarity, !a.similarity.isNaN { return a.similarity > b.similarity }
            return a.index < b.index
        }
        return best.prefix(max(0, k)).enumerated().map { rank, hit in
            Neighbour(rank: rank + 1, index: hit.index, path: paths[hit.index], similarity: hit.similarity)
        }
    }

    /// Throws `EmbeddingError.indexMismatch` (naming `file`, where this embedding was read
    /// from) unless it was made with `model`'s run weights and row.
    public func check(madeWith model: StoredModel, file: String) throws {
        let expected = Source(model)
        if source.weightsDigest != expected.weightsDigest {
            throw EmbeddingError.indexMismatch(
                file: file, reason: "made with the weights of \(source.runFile) (digest \(source.weightsDigest.prefix(12))), "
                    + "not those of \(model.file) (digest \(expected.weightsDigest.prefix(12))); embed the folder again")
        }
        if source.row != expected.row || source.method != expected.method {
            throw EmbeddingError.indexMismatch(
                file: file, reason: "holds row '\(source.row)' of method '\(source.method)', not row '\(expected.row)'; "
                    + "query with --method \(source.row) or embed the folder again")
        }
    }
}
