/// The report's text as blocks, rendered to Markdown (`markdown`) and to HTML
/// (`HTMLReport`) from the same content. Inline text may use two bits of Markdown, which
/// the HTML renderer converts: `code` in backticks and **bold**.
public struct ReportDocument: Equatable {
    public enum Alignment: Equatable { case left, right }

    public enum Block: Equatable {
        case heading(level: Int, text: String)
        case paragraph(String)
        case bullets([String])
        case table(header: [String], alignments: [Alignment], rows: [[String]])
        /// A figure or grid file, relative to the report's folder.
        case image(path: String, caption: String)
    }

    public var blocks: [Block] = []

    public init() {}

    public mutating func append(_ block: Block) { blocks.append(block) }

    /// GitHub-flavoured Markdown; cells have `|` escaped.
    public var markdown: String {
        var out: [String] = []
        for block in blocks {
            switch block {
            case .heading(let level, let text):
                out.append(String(repeating: "#", count: level) + " " + text)
            case .paragraph(let text):
                out.append(text)
            case .bullets(let items):
                out.append(items.map { "- " + $0 }.joined(separator: "\n"))
            case .table(let header, let alignments, let rows):
                func line(_ cells: [String]) -> String {
                    "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
                }
                let rule = "|" + alignments.map { $0 == .left ? ":---|" : "---:|" }.joined()
                out.append(([line(header), rule] + rows.map(line)).joined(separator: "\n"))
            case .image(let path, let caption):
                out.append("![\(caption)](\(path))\n\n*\(caption)*")
            }
        }
        return out.joined(separator: "\n\n") + "\n"
    }
}
