import Evaluation

/// `figures/<experiment>-sweep.svg` (as the paper's Figure 6): similarity precision and
/// Score-at-top-K against the swept value, one line per row with 95% CI error bars. Values
/// are placed by number when every label is a number, else evenly in sweep order (a sweep over
/// mappings, such as Figure 6's samplers, is ticked by the values that differ).
enum SweepFigure {
    /// A tick for a label: the values of a mapping value's `key=value` pairs
    /// (`kind=uniform,out_of_class_fraction=0.0` -> `uniform 0.0`), else the label.
    static func tick(_ label: String) -> String {
        let pairs = label.split(separator: ",").map { $0.split(separator: "=", maxSplits: 1) }
        guard pairs.count > 1 || label.contains("="), pairs.allSatisfy({ $0.count == 2 }) else { return label }
        return pairs.map { String($0[1]) }.joined(separator: " ")
    }

    /// `groups`: one experiment's sweep values, in order; `rows`: the rows to draw.
    static func svg(experiment: String, key: String, groups: [GroupSummary], rows: [String]) -> String? {
        let metrics = [MetricName.similarityPrecision, MetricName.scoreAtK].filter { metric in
            groups.contains { $0.metricNames.contains(metric) }
        }
        guard groups.count >= 1, !metrics.isEmpty, !rows.isEmpty else { return nil }
        let labels = groups.map { $0.group.sweepPoint?.label ?? "" }
        let numeric = labels.allSatisfy { Double($0) != nil }
        let positions = numeric ? labels.map { Double($0)! } : labels.indices.map(Double.init)
        let tickLabels: [Double: String]? = numeric ? nil : Dictionary(uniqueKeysWithValues: zip(positions, labels.map(tick)))
        let panelWidth = 360.0, panelHeight = 230.0, left = 70.0, top = 50.0, gap = 90.0
        let legendWidth = 20 + 7 * Double(rows.map(\.count).max() ?? 0)
        var svg = SVGDocument(width: left + Double(metrics.count) * (panelWidth + gap) + legendWidth, height: top + panelHeight + 60)
        let shortKey = ExperimentGroup.shortKey(key)
        svg.text(svg.width / 2, 18, "\(experiment): sweep over \(key), mean over seeds with 95% CI", size: 13,
                 anchor: .middle, bold: true)
        let topK = groups.first?.topK ?? 30
        for (p, metric) in metrics.enumerated() {
            let scale = ReportMetric.isFraction(metric) ? 100.0 : 1.0
            var yValues: [Double] = []
            for group in groups {
                for row in group.rows where rows.contains(row.row) {
                    if let s = row.metrics[metric] {
                        yValues += [(s.mean - (s.halfWidth ?? 0)) * scale, (s.mean + (s.halfWidth ?? 0)) * scale]
                    }
                }
            }
            // x padded by 5% of the range each side, so the end points are not on the frame.
            let span = max(1e-9, (positions.max() ?? 0) - (positions.min() ?? 0))
            let panel = ChartPanel(left: left + Double(p) * (panelWidth + gap), top: top, width: panelWidth,
                                   height: panelHeight, xValues: positions,
                                   yValues: yValues, xIncluding: [(positions.min() ?? 0) - span / 20, (positions.max() ?? 0) + span / 20],
                                   yLimits: scale == 100 ? 0...100 : nil)
            let title = ReportMetric.title(metric, topK: topK)
            panel.drawAxes(into: &svg, title: title, xLabel: shortKey, yLabel: title, xTickLabels: tickLabels ?? nil)
            for (r, name) in rows.enumerated() {
                let color = SVGDocument.color(r)
                var points: [(Double, Double)] = []
                for (group, x) in zip(groups, positions) {
                    guard let s = group.rows.first(where: { $0.row == name })?.metrics[metric] else { continue }
                    let (px, py) = (panel.x(x), panel.y(s.mean * scale))
                    points.append((px, py))
                    if let h = s.halfWidth {
                        let (lo, hi) = (panel.y((s.mean - h) * scale), panel.y((s.mean + h) * scale))
                        svg.line(px, lo, px, hi, stroke: color, width: 1.2)
                        svg.line(px - 4, lo, px + 4, lo, stroke: color, width: 1.2)
                        svg.line(px - 4, hi, px + 4, hi, stroke: color, width: 1.2)
                    }
                }
                svg.polyline(points, stroke: color, width: 1.8)
                for (px, py) in points { svg.circle(px, py, r: 3, fill: color) }
            }
        }
        let legendLeft = left + Double(metrics.count) * (panelWidth + gap) - gap + 20
        for (r, name) in rows.enumerated() {
            let y = top + 10 + Double(r) * 18
            svg.line(legendLeft, y, legendLeft + 18, y, stroke: SVGDocument.color(r), width: 2.5)
            svg.text(legendLeft + 24, y + 4, name, size: 11)
        }
        return svg.render()
    }
}
