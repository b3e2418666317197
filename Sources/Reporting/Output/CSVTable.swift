/// Comma-separated values (RFC 4180): a field holding a comma, a quote or a line break is
/// quoted, with quotes doubled; lines end in `\n`.
struct CSVTable {
    private var lines: [String] = []

    init(header: [String]) { append(header) }

    mutating func append(_ fields: [String]) {
        lines.append(fields.map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ","))
    }

    var text: String { lines.joined(separator: "\n") + "\n" }
}
