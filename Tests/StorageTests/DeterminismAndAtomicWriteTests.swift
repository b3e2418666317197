import Foundation
import Storage
import XCTest

final class DeterminismAndAtomicWriteTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory(self)
    }

    private func writeRunLikeFile(_ root: HDF5Group) throws {
        try root.setAttribute("format", to: "deeprank-run")
        try root.setAttribute("seed", to: Int64(1))
        try root.write(string: "name: quickstart", to: "spec")
        try root.write((0..<96).map { Float($0) / 7 }, shape: [2, 3, 4, 4],
                       to: "methods/ranking/weights/conv1/W").setAttribute("layout", to: "OIHW")
        try root.write([0.9, 0.7, 0.6], to: "methods/ranking/history/loss")
        try root.createGroup("digests")
    }

    func testIdenticalWritesGiveIdenticalBytes() throws {
        let first = directory + "/first.h5", second = directory + "/second.h5"
        let file = try HDF5File(creating: first)
        try writeRunLikeFile(file.root)
        try file.close()
        Thread.sleep(forTimeInterval: 1.1)  // a stored timestamp would now differ
        try HDF5File.writeAtomically(to: second, writeRunLikeFile)
        let a = try Data(contentsOf: URL(fileURLWithPath: first))
        let b = try Data(contentsOf: URL(fileURLWithPath: second))
        XCTAssertEqual(a.count, b.count)
        XCTAssertTrue(a == b, "files differ")
    }

    func testAtomicWriteReplacesTheFileAndLeavesNoTemporary() throws {
        let path = directory + "/run.h5"
        try HDF5File.writeAtomically(to: path) { try $0.write([Float(1)], to: "old") }
        try HDF5File.writeAtomically(to: path) { try $0.write([Float(2)], to: "new") }
        XCTAssertEqual(try HDF5File(reading: path).root.childNames(), ["new"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["run.h5"])
    }

    func testAtomicWriteThatThrowsLeavesTheOldFileAndNoTemporary() throws {
        struct Interrupted: Error {}
        let path = directory + "/run.h5"
        try HDF5File.writeAtomically(to: path) { try $0.write([Float(1)], to: "old") }
        XCTAssertThrowsError(try HDF5File.writeAtomically(to: path) { root in
            try root.write([Float(2)], to: "new")
            throw Interrupted()
        }) { XCTAssertTrue($0 is Interrupted) }
        XCTAssertEqual(try HDF5File(reading: path).root.childNames(), ["old"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["run.h5"])
    }

    func testAtomicWriteIntoAMissingDirectoryFails() {
        let path = directory + "/no/such/dir/run.h5"
        assertThrows(try HDF5File.writeAtomically(to: path) { _ in }, containing: [path])
    }
}
