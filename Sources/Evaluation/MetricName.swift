/// The stored name of every metric of a row, spelled once: evaluation (`RowMetrics.scalars`),
/// run files (`/methods/<m>/rows/<row>` attributes) and reports (`ReportMetric`) use these.
///
/// The paper's two metrics (its section "Evaluation Metrics": similarity precision and
/// Score-at-top-K) come first, then the retrieval metrics of Musgrave et al. 2020 ("A Metric
/// Learning Reality Check": Precision@1, R-Precision, MAP@R) and Recall@k.
public enum MetricName {
    /// Fraction of evaluation triplets ranked in the raters' order.
    public static let similarityPrecision = "similarity_precision"
    /// Score-at-top-K: correctly minus incorrectly ranked counted triplets.
    public static let scoreAtK = "score_at_k"
    /// The triplets Score-at-top-K counted (A or B among the query's top K).
    public static let scoreAtKCounted = "score_at_k_counted"
    public static let precisionAt1 = "precision_at_1"
    public static let rPrecision = "r_precision"
    public static let mapAtR = "map_at_r"

    /// Every name with a fixed spelling, in the order of the tables; `recall_at_<k>` follow.
    public static let fixed = [similarityPrecision, scoreAtK, scoreAtKCounted, precisionAt1, rPrecision, mapAtR]

    private static let recallPrefix = "recall_at_"

    /// `recall_at_<k>`.
    public static func recall(at k: Int) -> String { recallPrefix + String(k) }

    /// k of `recall_at_<k>`, nil for any other name.
    public static func recallK(_ name: String) -> Int? {
        guard name.hasPrefix(recallPrefix) else { return nil }
        return Int(name.dropFirst(recallPrefix.count))
    }

    /// Whether the metric is a fraction in [0, 1] (reports show it as a percentage).
    public static func isFraction(_ name: String) -> Bool {
        [similarityPrecision, precisionAt1, rPrecision, mapAtR].contains(name) || recallK(name) != nil
    }
}
