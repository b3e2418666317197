import Foundation
import XCTest

/// A fresh directory under the system temporary directory, removed when the test ends.
func makeTemporaryDirectory(_ test: XCTestCase) throws -> String {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("StorageTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url.path
}

/// `Tests/Fixtures/<name>`, found from this source file's location.
func fixturePath(_ name: String) -> String {
    URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // StorageTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures")
        .appendingPathComponent(name)
        .path
}

/// Asserts that `body` throws an error whose description contains every one of `fragments`,
/// and returns it for further checks.
@discardableResult
func assertThrows<T>(_ body: @autoclosure () throws -> T, containing fragments: [String],
                     file: StaticString = #filePath, line: UInt = #line) -> Error? {
    do {
        _ = try body()
        XCTFail("expected an error containing \(fragments)", file: file, line: line)
        return nil
    } catch {
        let message = String(describing: error)
        for fragment in fragments {
            XCTAssertTrue(message.contains(fragment), "\"\(message)\" lacks \"\(fragment)\"",
                          file: file, line: line)
        }
        return error
    }
}
