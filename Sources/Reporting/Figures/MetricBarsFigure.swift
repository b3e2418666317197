import Evaluation

/// `figures/<group>-metrics.svg`: horizontal bars of similarity precision and Score-at-top-K
/// per row (mean over seeds, from 0), with the 95% confidence interval as an error bar; the
/// best row's label is bold. One panel per metric, rows in table order.
enum MetricBarsFigure {
    static func svg(_ summary: GroupSummary) -> String? {
        let metrics = [MetricName.similarityPrecision, MetricName.scoreAtK].filter(summary.metricNames.contains)
        guard !metrics.isEmpty, !summary.rows.isEmpty else { return nil }
        let labelWidth = min(220, 20 + 6.5 * Double(summary.rows.map(\.row.count).max() ?? 0))
        let rowHeight = 22.0, panelWidth = 320.0, gap = 40.0, top = 50.0
        let plotHeight = rowHeight * Double(summary.rows.count)
        var svg = SVGDocument(width: labelWidth + Double(metrics.count) * (panelWidth + gap) + 10, height: top + plotHeight + 30)
        svg.text(svg.width / 2, 18, "\(summary.group.title): mean over seeds with 95% CI", size: 13, anchor: .middle, bold: true)
        for (i, row) in summary.rows.enumerated() {
            svg.text(labelWidth - 8, top + (Double(i) + 0.5) * rowHeight + 4, row.row, size: 11, anchor: .end, bold: row.isBest)
        }
        for (p, metric) in metrics.enumerated() {
            let scale = ReportMetric.isFraction(metric) ? 100.0 : 1.0
            let left = labelWidth + Double(p) * (panelWidth + gap)
            let extremes = summary.rows.compactMap { $0.metrics[metric] }.flatMap { s in
                [(s.mean - (s.halfWidth ?? 0)) * scale, (s.mean + (s.halfWidth ?? 0)) * scale]
            }
            let x = AxisScale(covering: extremes, including: [0], limits: scale == 100 ? 0...100 : nil, from: left,
                              to: left + panelWidth)
            svg.rect(left, top, panelWidth, plotHeight, fill: "#ffffff", stroke: "#888888")
            for tick in x.ticks {
                svg.line(x(tick), top, x(tick), top + plotHeight, stroke: "#eeeeee")
                svg.line(x(tick), top + plotHeight, x(tick), top + plotHeight + 4, stroke: "#888888")
                svg.text(x(tick), top + plotHeight + 16, x.label(tick), size: 10, anchor: .middle)
            }
            svg.line(x(0), top, x(0), top + plotHeight, stroke: "#555555")
            for (i, row) in summary.rows.enumerated() {
                guard let s = row.metrics[metric] else { continue }
                let middle = top + (Double(i) + 0.5) * rowHeight
                let (a, b) = (x(0), x(s.mean * scale))
                svg.rect(min(a, b), middle - 7, abs(b - a), 14, fill: SVGDocument.color(i), opacity: 0.85)
                if let h = s.halfWidth {
                    let (lo, hi) = (x((s.mean - h) * scale), x((s.mean + h) * scale))
                    svg.line(lo, middle, hi, middle, stroke: "#222222", width: 1.2)
                    svg.line(lo, middle - 4, lo, middle + 4, stroke: "#222222", width: 1.2)
                    svg.line(hi, middle - 4, hi, middle + 4, stroke: "#222222", width: 1.2)
                }
            }
            svg.rect(left, top, panelWidth, plotHeight, fill: "none", stroke: "#888888")
            svg.text(left + panelWidth / 2, top - 8, ReportMetric.title(metric, topK: summary.topK), size: 12,
                     anchor: .middle, bold: true)
        }
        return svg.render()
    }
}
