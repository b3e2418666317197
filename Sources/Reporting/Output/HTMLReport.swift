import Foundation

/// `report.html`: the report as one page. CSS is inline, figures are the SVG text itself
/// and images given as assets are PNG data URIs, so the page needs no other file; an image
/// without an asset is linked by its relative path (`Report` embeds the first retrieval
/// grid of each table and links the rest, to keep the page small).
public enum HTMLReport {
    /// What an image block of the document points at.
    public enum Asset: Equatable {
        case svg(String)
        case png([UInt8])
    }

    static let style = """
        body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
        h1,h2,h3{line-height:1.2}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
        table{border-collapse:collapse;margin:1em 0;font-size:.92em}
        th,td{border:1px solid #ccc;padding:.3em .6em}th{background:#f3f3f3}td.r,th.r{text-align:right}
        tr:nth-child(even) td{background:#fafafa}code{background:#f2f2f2;padding:0 .2em;border-radius:3px;font-size:.9em}
        figure{margin:1em 0}figure svg,figure img{max-width:100%;height:auto}figcaption{color:#555;font-style:italic}
        """

    /// The page for `document`; `assets` maps an image block's path to its content (a path
    /// without an asset becomes a relative link).
    public static func render(_ document: ReportDocument, title: String, assets: [String: Asset]) -> String {
        var out = ["<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\">",
                   "<title>\(escape(title))</title>", "<style>", style, "</style>", "</head>", "<body>"]
        for block in document.blocks {
            switch block {
            case .heading(let level, let text):
                out.append("<h\(level)>\(inline(text))</h\(level)>")
            case .paragraph(let text):
                out.append("<p>\(inline(text))</p>")
            case .bullets(let items):
                out.append("<ul>" + items.map { "<li>\(inline($0))</li>" }.joined() + "</ul>")
            case .table(let header, let alignments, let rows):
                func cells(_ values: [String], tag: String) -> String {
                    zip(values, alignments).map { value, alignment in
                        "<\(tag)\(alignment == .right ? " class=\"r\"" : "")>\(inline(value))</\(tag)>"
                    }.joined()
                }
                out.append("<table><thead><tr>" + cells(header, tag: "th") + "</tr></thead><tbody>")
                out += rows.map { "<tr>" + cells($0, tag: "td") + "</tr>" }
                out.append("</tbody></table>")
            case .image(let path, let caption):
                let content: String
                switch assets[path] {
                case .svg(let svg)?:
                    content = svg.split(separator: "\n", omittingEmptySubsequences: false)
                        .filter { !$0.hasPrefix("<?xml") }.joined(separator: "\n")
                case .png(let bytes)?:
                    content = "<img alt=\"\(escape(caption))\" src=\"data:image/png;base64,\(Data(bytes).base64EncodedString())\">"
                case nil:
                    content = "<img alt=\"\(escape(caption))\" src=\"\(escape(path))\">"
                }
                out.append("<figure>\(content)<figcaption>\(inline(caption))</figcaption></figure>")
            }
        }
        out += ["</body>", "</html>"]
        return out.joined(separator: "\n") + "\n"
    }

    /// `&`, `<`, `>` and `"` as entities.
    public static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    /// Escaped text with `code` spans and **bold**.
    static func inline(_ text: String) -> String {
        var out = "", inCode = false, inBold = false
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            let next = text.index(after: i)
            if c == "`" {
                out += inCode ? "</code>" : "<code>"
                inCode.toggle()
            } else if !inCode, c == "*", next < text.endIndex, text[next] == "*" {
                out += inBold ? "</strong>" : "<strong>"
                inBold.toggle()
                i = text.index(after: next)
                continue
            } else {
                out += escape(String(c))
            }
            i = next
        }
        if inCode { out += "</code>" }
        if inBold { out += "</strong>" }
        return out
    }
}
