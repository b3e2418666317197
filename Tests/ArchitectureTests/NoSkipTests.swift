import Foundation
import XCTest

/// No test is ever skipped: a missing prerequisite fails its test with what to install
/// (CI counts a skip as a failure). This fails if any test source calls one of XCTest's
/// skip functions (the error type and its `If`/`Unless` forms).
final class NoSkipTests: XCTestCase {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    func testNoTestSourceSkips() throws {
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: Self.tests.path))
        var sources = 0
        let call = "XCT" + "Skip"  // spelled apart, so this file does not find itself
        for case let path as String in enumerator where path.hasSuffix(".swift") {
            sources += 1
            let text = try String(contentsOfFile: Self.tests.appendingPathComponent(path).path, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains(call) {
                XCTFail("Tests/\(path):\(number + 1) skips: \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        XCTAssertGreaterThan(sources, 50, "found the test sources")
    }
}
