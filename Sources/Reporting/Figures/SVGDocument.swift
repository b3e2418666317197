/// A hand-written SVG image: elements are appended in drawing order and `render()` gives
/// the XML text. Coordinates are written with two decimals and no locale, so the same
/// drawing always gives the same bytes.
struct SVGDocument {
    let width: Double
    let height: Double
    private var elements: [String] = []

    init(width: Double, height: Double) { self.width = width; self.height = height }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#222",
                       width: Double = 1, dash: String? = nil) {
        elements.append("<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\""
                        + " stroke-width=\"\(n(width))\"" + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>")
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil,
                       opacity: Double? = nil) {
        elements.append("<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, w)))\" height=\"\(n(max(0, h)))\" fill=\"\(fill)\""
                        + (stroke.map { " stroke=\"\($0)\"" } ?? "") + (opacity.map { " fill-opacity=\"\(n($0))\"" } ?? "") + "/>")
    }

    mutating func circle(_ x: Double, _ y: Double, r: Double, fill: String) {
        elements.append("<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\" fill=\"\(fill)\"/>")
    }

    /// An open line through `points`; nothing for fewer than two.
    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5, opacity: Double? = nil) {
        guard points.count >= 2 else { return }
        let coordinates = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
        elements.append("<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
                        + (opacity.map { " stroke-opacity=\"\(n($0))\"" } ?? "") + " stroke-linejoin=\"round\"/>")
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ x: Double, _ y: Double, _ string: String, size: Double = 11, anchor: Anchor = .start,
                       rotate: Double? = nil, bold: Bool = false, fill: String = "#222") {
        let transform = rotate.map { " transform=\"rotate(\(n($0)) \(n(x)) \(n(y)))\"" } ?? ""
        elements.append("<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchor.rawValue)\""
                        + " fill=\"\(fill)\"" + (bold ? " font-weight=\"bold\"" : "") + transform + ">"
                        + HTMLReport.escape(string) + "</text>")
    }

    func render() -> String {
        ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
         "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\""
            + " viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"Helvetica, Arial, sans-serif\">",
         "<rect x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"#ffffff\"/>"]
            .joined(separator: "\n") + "\n" + elements.joined(separator: "\n") + "\n</svg>\n"
    }

    /// Two decimals, trailing zeros dropped.
    private func n(_ x: Double) -> String {
        var text = NumberFormat.fixed(x, decimals: 2)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// Line and bar colours, one per row (Tableau 10).
    static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                          "#9c755f", "#bab0ac"]

    static func color(_ index: Int) -> String { palette[index % palette.count] }
}
