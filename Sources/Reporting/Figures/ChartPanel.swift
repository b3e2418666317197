/// One plotting area of a figure: a frame, an x and a y scale, drawn with ticks, tick
/// labels, light grid lines, axis labels and a title. Charts draw their data inside it.
struct ChartPanel {
    let left: Double, top: Double, width: Double, height: Double
    let x: AxisScale
    let y: AxisScale

    /// `xValues` and `yValues` are the data the axes must cover.
    init(left: Double, top: Double, width: Double, height: Double, xValues: [Double], yValues: [Double],
         xIncluding: [Double] = [], yLimits: ClosedRange<Double>? = nil) {
        self.left = left; self.top = top; self.width = width; self.height = height
        x = AxisScale(covering: xValues, including: xIncluding, from: left, to: left + width)
        y = AxisScale(covering: yValues, limits: yLimits, from: top + height, to: top, count: 4)
    }

    /// Frame, grid, ticks and labels; `xTickLabels` replaces the numeric x labels (for
    /// categories placed at 0, 1, 2, ...).
    func drawAxes(into svg: inout SVGDocument, title: String, xLabel: String, yLabel: String,
                  xTickLabels: [Double: String]? = nil, xScale: Double = 1, yScale: Double = 1) {
        svg.rect(left, top, width, height, fill: "#ffffff", stroke: "#888888")
        let xTicks = xTickLabels.map { $0.keys.sorted() } ?? x.ticks
        for tick in xTicks {
            let px = x(tick)
            svg.line(px, top, px, top + height, stroke: "#eeeeee")
            svg.line(px, top + height, px, top + height + 4, stroke: "#888888")
            svg.text(px, top + height + 16, xTickLabels?[tick] ?? x.label(tick, scale: xScale), size: 10, anchor: .middle)
        }
        for tick in y.ticks {
            let py = y(tick)
            svg.line(left, py, left + width, py, stroke: "#eeeeee")
            svg.line(left - 4, py, left, py, stroke: "#888888")
            svg.text(left - 6, py + 3.5, y.label(tick, scale: yScale), size: 10, anchor: .end)
        }
        svg.rect(left, top, width, height, fill: "none", stroke: "#888888")
        svg.text(left + width / 2, top - 8, title, size: 12, anchor: .middle, bold: true)
        svg.text(left + width / 2, top + height + 34, xLabel, size: 11, anchor: .middle)
        let yMiddle = top + height / 2
        svg.text(left - 44, yMiddle, yLabel, size: 11, anchor: .middle, rotate: -90)
    }
}
