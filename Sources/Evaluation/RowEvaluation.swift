import DatasetKit

/// The evaluation of one table row: one ranker on the test set's evaluation triplets and
/// candidates (the paper's evaluation metrics; README, "The paper in brief"): similarity
/// precision, Score-at-top-K and the retrieval metrics, with the per-triplet and per-query
/// values behind them.
public enum RowEvaluation {
    /// All metrics of `ranker`.
    ///
    /// - Parameters:
    ///   - triplets: the evaluation triplets (dataset indices, all rows of `ranker`).
    ///   - categoryOf: the category of every dataset index.
    ///   - candidates: the test images (dataset indices, distinct); Score-at-top-K ranks a
    ///     query's category among them, and the retrieval metrics use every one of them as
    ///     a query with its category as label.
    ///   - topK: the K of Score-at-top-K (the paper's 30).
    ///   - recallKs: the K of Recall@K.
    public static func evaluate(_ ranker: Ranker, triplets: [Triplet], categoryOf: [Int], candidates: [Int],
                                topK: Int, recallKs: [Int]) -> RowMetrics {
        let outcomes = SimilarityPrecision.outcomes(ranker, triplets: triplets)
        let score = ScoreAtTopK.evaluate(ranker, triplets: triplets, categoryOf: categoryOf,
                                         candidates: candidates, k: topK)
        let labels = candidates.map { categoryOf[$0] }
        let length = min(RetrievalMetrics.listLength(labels: labels, recallKs: recallKs), max(candidates.count - 1, 1))
        let position = Dictionary(uniqueKeysWithValues: candidates.enumerated().map { ($1, $0) })
        let ranked = neighbours(ranker, queries: candidates, candidates: candidates, k: length)
            .map { $0.map { position[$0]! } }
        let retrieval = RetrievalMetrics(labels: labels, neighbours: ranked, recallKs: recallKs)
        return RowMetrics(similarityPrecision: SimilarityPrecision.precision(outcomes: outcomes), outcomes: outcomes,
                          topK: topK, scoreAtK: score.score, scoreAtKCounted: score.counted,
                          scoreContributions: score.contributions, precisionAt1: retrieval.precisionAt1,
                          recallAtK: retrieval.recallAtK, rPrecision: retrieval.rPrecision, mapAtR: retrieval.mapAtR,
                          retrievalQueries: retrieval.countedQueries.map { candidates[$0] },
                          rPrecisionPerQuery: retrieval.rPrecisionPerQuery, mapAtRPerQuery: retrieval.mapAtRPerQuery)
    }

    /// Top-`k` neighbours (dataset indices, best first) of each of `queries` among
    /// `candidates`, the query excluded.
    public static func neighbours(_ ranker: Ranker, queries: [Int], candidates: [Int], k: Int) -> [[Int]] {
        NearestNeighbours.search(ranker, queries: queries, candidates: candidates, k: k, excludingQuery: true).rows
    }
}
