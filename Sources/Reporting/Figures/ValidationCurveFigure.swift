import RunFile

/// `figures/<group>-validation.svg`: for every method that kept its best weights on the
/// validation split (`history/validation_step`, `history/validation_precision`), the
/// validation similarity precision at each check, one line per method in one panel, mean
/// over the seeds at each check (the checks are at the same steps in every seed). Beside
/// the loss figure it shows whether a network still learns what the split asks when its
/// training loss keeps falling.
enum ValidationCurveFigure {
    static func svg(_ group: ExperimentGroup) -> String? {
        var curves: [(name: String, steps: [Double], precision: [Double])] = []
        for name in TrainingCurveFigure.methodNames(group) {
            let histories = group.runs.compactMap { run in run.record.methods.first { $0.name == name }?.history }
            guard let steps = histories.compactMap({ $0[HistorySeries.validationStep] }).max(by: { $0.count < $1.count }),
                  !steps.isEmpty else { continue }
            let mean = TrainingCurveFigure.meanOverSeeds(histories.compactMap { $0[HistorySeries.validationPrecision] })
            curves.append((name, steps.map(Double.init), mean.map { $0 * 100 }))
        }
        guard !curves.isEmpty else { return nil }
        let panelWidth = 520.0, panelHeight = 240.0, marginLeft = 70.0, marginTop = 46.0
        let legendHeight = 18.0 * Double(curves.count)
        var svg = SVGDocument(width: marginLeft + panelWidth + 240, height: marginTop + max(panelHeight, legendHeight) + 60)
        svg.text(svg.width / 2, 18, "Validation similarity precision at each check, mean over \(group.runs.count) seed(s): \(group.title)",
                 size: 12, anchor: .middle, bold: true)
        let panel = ChartPanel(left: marginLeft, top: marginTop, width: panelWidth, height: panelHeight,
                               xValues: curves.flatMap(\.steps), yValues: curves.flatMap(\.precision).filter(\.isFinite),
                               xIncluding: [0])
        panel.drawAxes(into: &svg, title: "Validation split", xLabel: "step", yLabel: "similarity precision (%)")
        for (index, curve) in curves.enumerated() {
            let color = SVGDocument.color(index)
            let points = zip(curve.steps, curve.precision).filter { $0.1.isFinite }.map { (panel.x($0.0), panel.y($0.1)) }
            svg.polyline(points, stroke: color, width: 1.8)
            for point in points { svg.circle(point.0, point.1, r: 2.5, fill: color) }
            let legendY = marginTop + 10 + 18 * Double(index)
            svg.line(marginLeft + panelWidth + 16, legendY - 4, marginLeft + panelWidth + 36, legendY - 4, stroke: color, width: 2)
            svg.text(marginLeft + panelWidth + 42, legendY, curve.name, size: 11, anchor: .start)
        }
        return svg.render()
    }
}
