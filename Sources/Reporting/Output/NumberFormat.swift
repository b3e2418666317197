import Foundation

/// How the report writes numbers: fixed decimals through C's `%.*f` (no locale, no
/// timestamps), so the same inputs always give the same text.
public enum NumberFormat {
    /// `x` with `decimals` digits after the point; never `-0.0`.
    public static func fixed(_ x: Double, decimals: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        let text = String(format: "%.\(decimals)f", x)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(text.dropFirst()) }
        return text
    }

    /// A table cell: `85.7 ± 1.2` (fractions in percent), `85.7` for one seed, `n/a` without a value.
    public static func cell(_ summary: MetricSummary?, metric: String) -> String {
        guard let summary else { return "n/a" }
        let scale = ReportMetric.isFraction(metric) ? 100.0 : 1.0
        let mean = fixed(summary.mean * scale, decimals: 1)
        guard let halfWidth = summary.halfWidth else { return mean }
        return mean + " ± " + fixed(halfWidth * scale, decimals: 1)
    }

    /// A p-value cell: `0.021`, `< 0.001`; `best` for the reference row, `n/a` when untested.
    public static func pValue(_ test: SignFlipTest?, isBest: Bool) -> String {
        if isBest { return "best" }
        guard let p = test?.pValue else { return "n/a" }
        return p < 0.001 ? "< 0.001" : fixed(p, decimals: 3)
    }

    /// A wall time: `14m 05s`, `1h 02m 03s`, `42s`; `n/a` without a value.
    public static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite, seconds >= 0 else { return "n/a" }
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        if h > 0 { return String(format: "%dh %02dm %02ds", h, m, s) }
        return m > 0 ? String(format: "%dm %02ds", m, s) : "\(s)s"
    }

    /// A number for CSV: Swift's shortest round-tripping form (`0.1`, `1e-05`), empty for nil.
    public static func csv(_ x: Double?) -> String {
        guard let x else { return "" }
        return x.isFinite ? "\(x)" : (x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf"))
    }
}
