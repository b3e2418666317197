import DatasetKit
import Foundation
import Imaging
import XCTest

/// A scratch directory for one test, removed when the test ends.
final class FolderScratch {
    let path: String

    init(_ label: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("folders-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Creates the directories `relative` (and its parents) under the scratch directory.
    func directory(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path + "/" + relative, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to `relative`, creating its parent directories.
    func write(_ relative: String, bytes: [UInt8]) throws {
        try directory((relative as NSString).deletingLastPathComponent)
        try Data(bytes).write(to: URL(fileURLWithPath: path + "/" + relative))
    }

    func write(_ relative: String, text: String) throws {
        try write(relative, bytes: Array(text.utf8))
    }

    /// Writes a constant-colour PNG through `ImageCodec` (`pixel` has one value per channel).
    func writePNG(_ relative: String, width: Int, height: Int, pixel: [UInt8]) throws {
        let image = Image(width: width, height: height, channels: pixel.count,
                          pixels: Array([[UInt8]](repeating: pixel, count: width * height).joined()))
        try write(relative, bytes: try ImageCodec.encodePNG(image))
    }

    /// Copies a committed image fixture (`Tests/Fixtures/images/<name>`) to `relative`.
    func copyFixture(_ name: String, to relative: String) throws {
        try write(relative, bytes: [UInt8](try Data(contentsOf: FolderFixtures.images.appendingPathComponent(name))))
    }

    func symlink(_ relative: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path + "/" + relative, withDestinationPath: destination)
    }
}

enum FolderFixtures {
    /// `Tests/Fixtures/images`, found from this source file.
    static let images = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Folders
        .deletingLastPathComponent()  // DatasetKitTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures/images")
}

/// Asserts that `body` throws exactly `expected`.
func assertFolderError<E: Error & Equatable, T>(_ expected: E, file: StaticString = #filePath, line: UInt = #line,
                                           _ body: () throws -> T) {
    do {
        _ = try body()
        XCTFail("expected \(expected), nothing was thrown", file: file, line: line)
    } catch let error as E {
        XCTAssertEqual(error, expected, file: file, line: line)
    } catch {
        XCTFail("expected \(expected), got \(error)", file: file, line: line)
    }
}
