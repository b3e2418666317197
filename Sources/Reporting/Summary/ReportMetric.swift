/// The metrics a report shows, by their stored names (`RowRecord.metrics`, plus
/// `similarity_precision`), in the order of the paper's table: similarity precision,
/// Score-at-top-K, then the metric-learning ones (Musgrave et al. 2020) and recall at
/// increasing k; names the report does not know come last, alphabetically.
public enum ReportMetric {
    public static let similarityPrecision = "similarity_precision"
    public static let scoreAtK = "score_at_k"
    public static let scoreAtKCounted = "score_at_k_counted"

    /// `names` in report order.
    public static func ordered(_ names: Set<String>) -> [String] {
        names.sorted { a, b in
            let (ra, rb) = (rank(a), rank(b))
            return ra != rb ? ra < rb : a < b
        }
    }

    /// Whether the Markdown and HTML tables show the metric (the CSV has every metric;
    /// the number of triplets Score-at-K counted is in the CSV only).
    public static func isTableColumn(_ name: String) -> Bool { name != scoreAtKCounted }

    /// Whether the metric is a fraction in [0, 1], shown in the tables as a percentage.
    public static func isFraction(_ name: String) -> Bool {
        name == similarityPrecision || name == "precision_at_1" || name == "r_precision" || name == "map_at_r"
            || recallK(name) != nil
    }

    /// The column heading: `Similarity precision (%)`, `Score@30`, `P@1 (%)`, `Recall@5 (%)`.
    public static func title(_ name: String, topK: Int) -> String {
        let base: String
        switch name {
        case similarityPrecision: base = "Similarity precision"
        case scoreAtK: base = "Score@\(topK)"
        case scoreAtKCounted: base = "Score@\(topK) triplets counted"
        case "precision_at_1": base = "P@1"
        case "r_precision": base = "R-Precision"
        case "map_at_r": base = "MAP@R"
        default: base = recallK(name).map { "Recall@\($0)" } ?? name
        }
        return base + (isFraction(name) ? " (%)" : "")
    }

    /// k of `recall_at_<k>`.
    static func recallK(_ name: String) -> Int? {
        guard name.hasPrefix("recall_at_") else { return nil }
        return Int(name.dropFirst("recall_at_".count))
    }

    private static func rank(_ name: String) -> (Int, Int) {
        switch name {
        case similarityPrecision: return (0, 0)
        case scoreAtK: return (1, 0)
        case scoreAtKCounted: return (2, 0)
        case "precision_at_1": return (3, 0)
        case "r_precision": return (4, 0)
        case "map_at_r": return (5, 0)
        default: return recallK(name).map { (6, $0) } ?? (7, 0)
        }
    }
}
