import RunFile

/// `figures/<group>-loss.svg`: the training loss of every method that records one
/// (`history/loss`), one panel per method (their steps and scales differ), mean over the
/// seeds at each step (seeds with fewer steps stop counting where they end), drawn faint,
/// and its centred moving average over `window` = max(1, steps / 50) steps, drawn solid.
enum TrainingCurveFigure {
    static func svg(_ group: ExperimentGroup, series: String = HistorySeries.loss.key) -> String? {
        var methods: [(name: String, mean: [Double])] = []
        for name in methodNames(group) {
            let runs = group.runs.compactMap { run in run.record.methods.first { $0.name == name }?.history[series] }
            let mean = meanOverSeeds(runs)
            if mean.contains(where: \.isFinite) { methods.append((name, mean)) }
        }
        guard !methods.isEmpty else { return nil }
        let columns = min(2, methods.count), rowsOfPanels = (methods.count + columns - 1) / columns
        let panelWidth = 380.0, panelHeight = 190.0, marginLeft = 70.0, marginTop = 46.0, gapX = 90.0, gapY = 80.0
        var svg = SVGDocument(width: marginLeft + Double(columns) * panelWidth + Double(columns - 1) * gapX + 20,
                              height: marginTop + Double(rowsOfPanels) * (panelHeight + gapY) - gapY + 50)
        svg.text(svg.width / 2, 18, "Training \(series) per step, mean over \(group.runs.count) seed(s): \(group.title)",
                 size: 13, anchor: .middle, bold: true)
        for (index, method) in methods.enumerated() {
            let steps = method.mean.count
            let smooth = movingAverage(method.mean, window: max(1, steps / 50))
            let left = marginLeft + Double(index % columns) * (panelWidth + gapX)
            let top = marginTop + Double(index / columns) * (panelHeight + gapY)
            let panel = ChartPanel(left: left, top: top, width: panelWidth, height: panelHeight,
                                   xValues: [1, Double(max(steps, 2))], yValues: method.mean)
            panel.drawAxes(into: &svg, title: method.name, xLabel: "step", yLabel: series)
            let color = SVGDocument.color(index)
            for segment in segments(method.mean, panel) { svg.polyline(segment, stroke: color, width: 1, opacity: 0.3) }
            for segment in segments(smooth, panel) {
                svg.polyline(segment, stroke: color, width: 1.8)
                if segment.count == 1 { svg.circle(segment[0].0, segment[0].1, r: 3, fill: color) }
            }
        }
        return svg.render()
    }

    /// Method names in the order of the first run that lists them.
    static func methodNames(_ group: ExperimentGroup) -> [String] {
        var names: [String] = []
        for run in group.runs { for method in run.record.methods where !names.contains(method.name) { names.append(method.name) } }
        return names
    }

    /// Per step, the mean of the finite values of the seeds that reach it (NaN when none is).
    static func meanOverSeeds(_ runs: [[Float]]) -> [Double] {
        let steps = runs.map(\.count).max() ?? 0
        return (0..<steps).map { i in
            let values = runs.compactMap { i < $0.count ? Double($0[i]) : nil }.filter(\.isFinite)
            return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        }
    }

    /// The centred moving average over `window` steps (shorter at the ends), of finite values.
    static func movingAverage(_ values: [Double], window: Int) -> [Double] {
        guard window > 1 else { return values }
        var sums = [0.0], counts = [0]
        for v in values { sums.append(sums.last! + (v.isFinite ? v : 0)); counts.append(counts.last! + (v.isFinite ? 1 : 0)) }
        let half = window / 2
        return values.indices.map { i in
            guard values[i].isFinite else { return .nan }
            let a = max(0, i - half), b = min(values.count, i + half + 1)
            return (sums[b] - sums[a]) / Double(counts[b] - counts[a])
        }
    }

    /// Drawing coordinates of the finite stretches of `values` (step i at x = i + 1), thinned
    /// to about 600 points each.
    static func segments(_ values: [Double], _ panel: ChartPanel) -> [[(Double, Double)]] {
        let stride = max(1, values.count / 600)
        var out: [[(Double, Double)]] = [], current: [(Double, Double)] = []
        for i in values.indices where i % stride == 0 || i == values.count - 1 {
            if values[i].isFinite {
                current.append((panel.x(Double(i + 1)), panel.y(values[i])))
            } else if !current.isEmpty {
                out.append(current); current = []
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
