import Evaluation

/// How a report shows the metrics (`MetricName`, the names stored in run files): in the
/// order of the paper's tables (similarity precision, Score-at-top-K), then the
/// metric-learning ones (Musgrave et al. 2020) and recall at increasing k; names the report
/// does not know come last, alphabetically.
public enum ReportMetric {
    /// `names` in report order.
    public static func ordered(_ names: Set<String>) -> [String] {
        names.sorted { a, b in
            let (ra, rb) = (rank(a), rank(b))
            return ra != rb ? ra < rb : a < b
        }
    }

    /// Whether the Markdown and HTML tables show the metric (the CSV has every metric;
    /// the number of triplets Score-at-K counted is in the CSV only).
    public static func isTableColumn(_ name: String) -> Bool { name != MetricName.scoreAtKCounted }

    /// Whether the metric is a fraction in [0, 1], shown in the tables as a percentage.
    public static func isFraction(_ name: String) -> Bool { MetricName.isFraction(name) }

    /// The heading of a metric's column on the validation split: `Validation similarity
    /// precision (%)`.
    public static func validationTitle(_ name: String, topK: Int) -> String {
        "Validation " + title(name, topK: topK).lowercased()
    }

    /// The column heading: `Similarity precision (%)`, `Score@30`, `P@1 (%)`, `Recall@5 (%)`.
    public static func title(_ name: String, topK: Int) -> String {
        let base: String
        switch name {
        case MetricName.similarityPrecision: base = "Similarity precision"
        case MetricName.scoreAtK: base = "Score@\(topK)"
        case MetricName.scoreAtKCounted: base = "Score@\(topK) triplets counted"
        case MetricName.precisionAt1: base = "P@1"
        case MetricName.rPrecision: base = "R-Precision"
        case MetricName.mapAtR: base = "MAP@R"
        default: base = MetricName.recallK(name).map { "Recall@\($0)" } ?? name
        }
        return base + (isFraction(name) ? " (%)" : "")
    }

    /// Fixed names in `MetricName.fixed` order, then recall by k, then the rest.
    private static func rank(_ name: String) -> (Int, Int) {
        if let position = MetricName.fixed.firstIndex(of: name) { return (position, 0) }
        return MetricName.recallK(name).map { (MetricName.fixed.count, $0) } ?? (MetricName.fixed.count + 1, 0)
    }
}
