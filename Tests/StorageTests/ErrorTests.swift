import Foundation
import Storage
import XCTest

final class ErrorTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory(self)
    }

    func testMissingFile() {
        let path = directory + "/missing.h5"
        let error = assertThrows(try HDF5File(reading: path), containing: [path, "no such file"])
        XCTAssertEqual(error as? HDF5Error, .cannotOpen(file: path, reason: "no such file"))
    }

    func testDirectoryInsteadOfFile() {
        assertThrows(try HDF5File(reading: directory), containing: [directory, "is a directory"])
        assertThrows(try HDF5File(creating: directory), containing: [directory, "cannot create"])
    }

    func testTextFileAndEmptyFileAreNotHDF5() throws {
        let text = directory + "/notes.h5"
        try "not hdf5\n".write(toFile: text, atomically: false, encoding: .utf8)
        let error = assertThrows(try HDF5File(reading: text), containing: [text, "not an HDF5 file"])
        XCTAssertEqual(error as? HDF5Error, .notHDF5(file: text))

        let empty = directory + "/empty.h5"
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        assertThrows(try HDF5File(updating: empty), containing: [empty, "not an HDF5 file"])
    }

    func testTruncatedFile() throws {
        let path = directory + "/whole.h5"
        try HDF5File(creating: path).root.write((0..<1000).map(Float.init), to: "x")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let truncated = directory + "/truncated.h5"
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        assertThrows(try HDF5File(reading: truncated), containing: [truncated, "truncated"])
    }

    func testCreatingWithoutTruncateRefusesAnExistingFile() throws {
        let path = directory + "/existing.h5"
        _ = try HDF5File(creating: path)
        assertThrows(try HDF5File(creating: path, truncate: false), containing: [path, "already exists"])
    }

    func testMissingObjectsAndWrongKinds() throws {
        let path = directory + "/objects.h5"
        let root = try HDF5File(creating: path).root
        try root.write([Float(1)], to: "g/x")
        assertThrows(try root.dataset("g/missing"), containing: [path, "/g/missing", "not found"])
        assertThrows(try root.group("nothing/here"), containing: [path, "/nothing/here", "not found"])
        assertThrows(try root.read(Float.self, from: "g"), containing: [path, "/g", "expected a dataset, found a group"])
        assertThrows(try root.group("g/x"), containing: [path, "/g/x", "expected a group, found a dataset"])
        assertThrows(try root.createGroup("g/x/y"), containing: [path, "/g/x", "expected a group"])
        assertThrows(try root.write([Float(1)], to: "g/x/y"), containing: [path, "/g/x"])
    }

    func testWrongTypeIsRefused() throws {
        let path = directory + "/types.h5"
        let root = try HDF5File(creating: path).root
        try root.write([Float(1.5)], to: "f")
        try root.write([Int64(1)], to: "i64")
        try root.write([UInt8(1)], to: "u8")
        try root.write(string: "s", to: "s")
        assertThrows(try root.read(Int32.self, from: "f"), containing: [path, "/f", "float32", "int32"])
        assertThrows(try root.read(Double.self, from: "i64"), containing: [path, "/i64", "int64"])
        assertThrows(try root.read(Int32.self, from: "i64"), containing: [path, "/i64", "int64"])
        assertThrows(try root.read(UInt64.self, from: "i64"), containing: [path, "/i64"])
        assertThrows(try root.read(Float.self, from: "s"), containing: [path, "/s", "string"])
        assertThrows(try root.readString(from: "f"), containing: [path, "/f", "float32"])
        // Lossless integer widening is allowed.
        XCTAssertEqual(try root.read(Int32.self, from: "u8").values, [1])
        XCTAssertEqual(try root.read(Double.self, from: "f").values, [1.5])
    }

    func testShapeMismatchOnWrite() throws {
        let path = directory + "/shape.h5"
        let root = try HDF5File(creating: path).root
        assertThrows(try root.write([Float](repeating: 0, count: 5), shape: [2, 3], to: "x"),
                     containing: [path, "/x", "shape [2, 3] holds 6 values, not 5"])
        XCTAssertFalse(try root.contains("x"))
    }

    func testClosedFile() throws {
        let path = directory + "/closed.h5"
        let file = try HDF5File(creating: path)
        let root = file.root
        try file.close()
        XCTAssertFalse(file.isOpen)
        assertThrows(try root.write([Float(1)], to: "x"), containing: [path, "closed"])
        assertThrows(try root.childNames(), containing: [path, "closed"])
    }

    func testReadOnlyFileRefusesWrites() throws {
        let path = directory + "/readonly.h5"
        try HDF5File(creating: path).close()
        let root = try HDF5File(reading: path).root
        assertThrows(try root.write([Float(1)], to: "x"), containing: [path, "/x", "failed"])
    }
}
