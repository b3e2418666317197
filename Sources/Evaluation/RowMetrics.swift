/// Every metric of one method on one evaluation set: one row of the results tables
/// (the paper's evaluation metrics and today's retrieval metrics; README, "The paper in
/// brief"). Per-triplet and per-query values are kept for paired tests between methods on
/// the same data.
public struct RowMetrics: Sendable, Equatable {
    /// Fraction of evaluation triplets ranked in the raters' order (ties count half).
    public var similarityPrecision: Double
    /// `[triplets]`: 1 correct, 0.5 tie, 0 wrong (`SimilarityPrecision.outcomes`).
    public var outcomes: [Float]
    /// The K of Score-at-top-K.
    public var topK: Int
    /// Score-at-top-K: correctly minus incorrectly ranked counted triplets.
    public var scoreAtK: Int
    /// Triplets with A or B among the query's top K.
    public var scoreAtKCounted: Int
    /// `[triplets]`: +1 correct, -1 wrong, 0 tie or not counted.
    public var scoreContributions: [Float]
    public var precisionAt1: Double
    /// Recall@K keyed by K.
    public var recallAtK: [Int: Double]
    public var rPrecision: Double
    public var mapAtR: Double
    /// Dataset indices of the queries with at least one other image of their category
    /// (the ones the retrieval metrics average over), ascending candidate order.
    public var retrievalQueries: [Int]
    /// `[retrievalQueries.count]`: R-Precision of each.
    public var rPrecisionPerQuery: [Double]
    /// `[retrievalQueries.count]`: MAP@R of each.
    public var mapAtRPerQuery: [Double]

    public init(similarityPrecision: Double, outcomes: [Float], topK: Int, scoreAtK: Int, scoreAtKCounted: Int,
                scoreContributions: [Float], precisionAt1: Double, recallAtK: [Int: Double], rPrecision: Double,
                mapAtR: Double, retrievalQueries: [Int] = [], rPrecisionPerQuery: [Double] = [],
                mapAtRPerQuery: [Double] = []) {
        self.similarityPrecision = similarityPrecision
        self.outcomes = outcomes
        self.topK = topK
        self.scoreAtK = scoreAtK
        self.scoreAtKCounted = scoreAtKCounted
        self.scoreContributions = scoreContributions
        self.precisionAt1 = precisionAt1
        self.recallAtK = recallAtK
        self.rPrecision = rPrecision
        self.mapAtR = mapAtR
        self.retrievalQueries = retrievalQueries
        self.rPrecisionPerQuery = rPrecisionPerQuery
        self.mapAtRPerQuery = mapAtRPerQuery
    }

    /// Named scalar metrics for storage (`MetricName`): Score-at-top-K and its count,
    /// Precision@1, Recall@k for each k, R-Precision and MAP@R.
    public var scalars: [String: Double] {
        var named: [String: Double] = [
            MetricName.scoreAtK: Double(scoreAtK),
            MetricName.scoreAtKCounted: Double(scoreAtKCounted),
            MetricName.precisionAt1: precisionAt1,
            MetricName.rPrecision: rPrecision,
            MetricName.mapAtR: mapAtR,
        ]
        for (k, recall) in recallAtK { named[MetricName.recall(at: k)] = recall }
        return named
    }
}
