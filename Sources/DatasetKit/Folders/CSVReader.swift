import Foundation

/// One record of a CSV file: its fields and the 1-based line on which it starts.
struct CSVRecord: Equatable {
    var line: Int
    var fields: [String]
}

/// A small CSV reader (RFC 4180 with the usual leniencies) for the image-folder relevance
/// and triplet files.
///
/// - Fields are separated by `,`; records by LF, CRLF or a lone CR.
/// - A field may be quoted with `"`; inside quotes `""` is a quote and commas and line
///   breaks are literal. Text after a closing quote other than `,` or the end of the
///   record is an error, as is a quote inside an unquoted field or an unterminated quote.
/// - Unquoted fields are trimmed of spaces and tabs (`a, b, 0.5` reads as `a`, `b`, `0.5`);
///   quoted fields are kept exactly.
/// - A UTF-8 byte order mark at the start is skipped; blank lines (only spaces and tabs)
///   are skipped; line numbers count every line of the file, blank or not.
/// - The text must be UTF-8.
///
/// Every error is `DatasetError.badCSV(path:line:reason:)` with the 1-based line of the
/// problem (line 0 when the file cannot be read at all).
enum CSVReader {
    /// Reads and parses the file at `path`.
    static func read(path: String) throws -> [CSVRecord] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let reason = !exists ? "no such file" : isDirectory.boolValue ? "it is a directory" : error.localizedDescription
            throw DatasetError.badCSV(path: path, line: 0, reason: "cannot read the file: \(reason)")
        }
        return try parse([UInt8](data), path: path)
    }

    /// Parses CSV text held in memory; `path` goes into errors.
    static func parse(_ bytes: [UInt8], path: String) throws -> [CSVRecord] {
        var parser = Parser(bytes: bytes, path: path)
        return try parser.records()
    }

    private struct Parser {
        let bytes: [UInt8]
        let path: String
        var position = 0
        var line = 1

        init(bytes: [UInt8], path: String) {
            self.bytes = bytes
            self.path = path
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        }

        mutating func records() throws -> [CSVRecord] {
            var records: [CSVRecord] = []
            while position < bytes.count {
                let start = line
                let fields = try record()
                if fields.count == 1 && fields[0].isEmpty && !fields[0].wasQuoted { continue }
                records.append(CSVRecord(line: start, fields: fields.map(\.text)))
            }
            return records
        }

        private struct Field {
            var text: String
            var wasQuoted: Bool
            var isEmpty: Bool { text.isEmpty }
        }

        /// Reads fields up to and including the end of the record.
        private mutating func record() throws -> [Field] {
            var fields: [Field] = []
            while true {
                let field = try self.field()
                fields.append(field)
                guard position < bytes.count else { return fields }
                let byte = bytes[position]
                position += 1
                if byte == UInt8(ascii: ",") { continue }
                endLine(after: byte)
                return fields
            }
        }

        /// Counts the line break `byte` (just consumed), swallowing the LF of a CRLF.
        private mutating func endLine(after byte: UInt8) {
            if byte == UInt8(ascii: "\r"), position < bytes.count, bytes[position] == UInt8(ascii: "\n") {
                position += 1
            }
            line += 1
        }

        private func isRecordEnd(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        }

        private func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

        /// Reads one field and stops before its terminator (`,`, a line break or the end).
        private mutating func field() throws -> Field {
            var start = position
            while start < bytes.count && isBlank(bytes[start]) { start += 1 }
            if start < bytes.count && bytes[start] == UInt8(ascii: "\"") {
                position = start + 1
                return Field(text: try quotedContent(), wasQuoted: true)
            }
            var end = start
            while end < bytes.count && !isRecordEnd(bytes[end]) {
                if bytes[end] == UInt8(ascii: "\"") {
                    throw DatasetError.badCSV(path: path, line: line,
                                              reason: "a quote inside an unquoted field (quote the whole field and double the quote)")
                }
                end += 1
            }
            position = end
            while end > start && isBlank(bytes[end - 1]) { end -= 1 }
            return Field(text: try text(bytes[start..<end]), wasQuoted: false)
        }

        /// Reads a quoted field after its opening quote, through the closing quote and any
        /// blanks after it.
        private mutating func quotedContent() throws -> String {
            let openingLine = line
            var content: [UInt8] = []
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                if byte == UInt8(ascii: "\"") {
                    if position < bytes.count && bytes[position] == UInt8(ascii: "\"") {
                        content.append(byte)
                        position += 1
                        continue
                    }
                    while position < bytes.count && isBlank(bytes[position]) { position += 1 }
                    if position < bytes.count && !isRecordEnd(bytes[position]) {
                        throw DatasetError.badCSV(path: path, line: line, reason: "text after a closing quote")
                    }
                    return try text(content[...])
                }
                if byte == UInt8(ascii: "\n") || (byte == UInt8(ascii: "\r") && (position >= bytes.count || bytes[position] != UInt8(ascii: "\n"))) {
                    line += 1
                }
                content.append(byte)
            }
            throw DatasetError.badCSV(path: path, line: openingLine, reason: "a quoted field is not closed")
        }

        private func text(_ slice: ArraySlice<UInt8>) throws -> String {
            guard let string = String(validating: slice, as: UTF8.self) else {
                throw DatasetError.badCSV(path: path, line: line, reason: "the text is not UTF-8")
            }
            return string
        }
    }
}
