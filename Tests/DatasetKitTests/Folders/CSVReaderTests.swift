@testable import DatasetKit
import XCTest

/// The CSV reader behind the image-folder relevance and triplet files.
final class CSVReaderTests: XCTestCase {
    private func parse(_ text: String) throws -> [CSVRecord] {
        try CSVReader.parse(Array(text.utf8), path: "t.csv")
    }

    func testQuotesBOMCRLFBlankLinesAndTrimming() throws {
        let text = "\u{FEFF}a,b,score\r\n\r\n  \t \r\n\"x, y\",\"say \"\"hi\"\"\", 0.5 \r\n\"multi\nline\",\"\",2\n\nlast,row,3"
        XCTAssertEqual(try parse(text), [
            CSVRecord(line: 1, fields: ["a", "b", "score"]),
            CSVRecord(line: 4, fields: ["x, y", "say \"hi\"", "0.5"]),
            CSVRecord(line: 5, fields: ["multi\nline", "", "2"]),
            CSVRecord(line: 8, fields: ["last", "row", "3"]),
        ])
    }

    func testLoneCarriageReturnsAndQuotedBlanksAreKept() throws {
        XCTAssertEqual(try parse("a,b\rc,d\r"), [CSVRecord(line: 1, fields: ["a", "b"]), CSVRecord(line: 2, fields: ["c", "d"])])
        XCTAssertEqual(try parse("\" \"\n,\n"), [CSVRecord(line: 1, fields: [" "]), CSVRecord(line: 2, fields: ["", ""])])
        XCTAssertEqual(try parse(""), [])
        XCTAssertEqual(try parse("\u{FEFF}"), [])
    }

    func testMalformedTextNamesTheLine() {
        assertFolderError(DatasetError.badCSV(path: "t.csv", line: 2, reason: "a quoted field is not closed")) {
            try parse("a,b\n\"open,x\nmore\n")
        }
        assertFolderError(DatasetError.badCSV(path: "t.csv", line: 3, reason: "text after a closing quote")) {
            try parse("a\n\n\"x\"y,z\n")
        }
        assertFolderError(DatasetError.badCSV(path: "t.csv", line: 1, reason: "a quote inside an unquoted field (quote the whole field and double the quote)")) {
            try parse("ab\"c,d")
        }
        assertFolderError(DatasetError.badCSV(path: "t.csv", line: 2, reason: "the text is not UTF-8")) {
            try CSVReader.parse(Array("ok\n".utf8) + [0x61, 0xFF, 0x62], path: "t.csv")
        }
    }
}
