/// `/methods/<method>/rows/<row>/validation`: a row's scores on the validation split, kept
/// apart from its test scores so that whatever is chosen on them (a checkpoint, a sweep
/// value) is never chosen on the test split.
public struct ValidationScores: Equatable, Sendable {
    /// Similarity precision over the validation triplets.
    public var similarityPrecision: Double
    /// Per validation triplet: 1, 0.5 (tie) or 0, for paired tests between rows.
    public var outcomes: [Float]
    /// Score-at-top-K and the retrieval metrics over the validation images, by stored name
    /// (`MetricName`).
    public var metrics: [String: Double]

    public init(similarityPrecision: Double, outcomes: [Float], metrics: [String: Double]) {
        self.similarityPrecision = similarityPrecision; self.outcomes = outcomes; self.metrics = metrics
    }
}
