import Foundation
import Storage
import XCTest

final class RoundTripTests: XCTestCase {
    private var directory = ""
    private var path = ""

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory(self)
        path = directory + "/round-trip.h5"
    }

    /// Writes `values` with `shape`, closes and reopens the file, reads them back.
    private func roundTrip<T: HDF5Scalar & Equatable>(_ values: [T], shape: [Int],
                                                      line: UInt = #line) throws {
        let file = try HDF5File(creating: path)
        try file.root.write(values, shape: shape, to: "x")
        try file.close()
        let (read, readShape) = try HDF5File(reading: path).root.read(T.self, from: "x")
        XCTAssertEqual(read, values, line: line)
        XCTAssertEqual(readShape, shape, line: line)
    }

    func testEveryElementTypeRoundTrips() throws {
        try roundTrip([Float](arrayLiteral: 1.5, -0, .infinity, .leastNonzeroMagnitude), shape: [4])
        try roundTrip([Double](arrayLiteral: 1.0 / 3.0, -1e300, .greatestFiniteMagnitude), shape: [3])
        try roundTrip([Int32](arrayLiteral: .min, -1, 0, .max), shape: [2, 2])
        try roundTrip([Int64](arrayLiteral: .min, 42, .max), shape: [3])
        try roundTrip([UInt8](arrayLiteral: 0, 7, 255), shape: [3])
        try roundTrip([UInt64](arrayLiteral: 0, .max), shape: [2])
        try roundTrip([Int](arrayLiteral: .min, 3, .max), shape: [3])
    }

    func testShapesScalarFourDimensionalAndEmpty() throws {
        try roundTrip([Float(2.5)], shape: [])
        try roundTrip((0..<120).map(Float.init), shape: [2, 3, 4, 5])
        try roundTrip([Float](), shape: [0])
        try roundTrip([Int64](), shape: [3, 0, 2])
    }

    func testNaNSurvivesBitForBit() throws {
        let file = try HDF5File(creating: path)
        try file.root.write([Float.nan], to: "nan")
        let read = try file.root.read(Float.self, from: "nan").values
        XCTAssertEqual(read[0].bitPattern, Float.nan.bitPattern)
    }

    func testShapeDefaultsToOneDimensionAndScalarHelpers() throws {
        let root = try HDF5File(creating: path).root
        try root.write([1, 2, 3] as [Int32], to: "v")
        XCTAssertEqual(try root.dataset("v").shape(), [3])
        try root.write(scalar: Int64(17), to: "step")
        XCTAssertEqual(try root.dataset("step").shape(), [])
        XCTAssertEqual(try root.readScalar(Int64.self, from: "step"), 17)
        assertThrows(try root.readScalar(Int32.self, from: "v"), containing: [path, "/v"])
    }

    func testBufferWriteAndReadIntoBuffer() throws {
        let values = (0..<24).map { Float($0) * 0.25 }
        let root = try HDF5File(creating: path).root
        _ = try values.withUnsafeBufferPointer { try root.write($0, shape: [2, 3, 4], to: "t") }
        var read = [Float](repeating: -1, count: 24)
        let shape = try read.withUnsafeMutableBufferPointer { try root.dataset("t").read(into: $0) }
        XCTAssertEqual(shape, [2, 3, 4])
        XCTAssertEqual(read, values)
        var tooSmall = [Float](repeating: 0, count: 5)
        assertThrows(try tooSmall.withUnsafeMutableBufferPointer { try root.dataset("t").read(into: $0) },
                     containing: [path, "/t", "shape [2, 3, 4]"])
    }

    func testStringsRoundTripIncludingUnicodeAndEmpty() throws {
        let root = try HDF5File(creating: path).root
        let text = "spec:\n  name: quickstart  # déjà vu ✓"
        try root.write(string: text, to: "spec")
        try root.write(string: "", to: "empty")
        XCTAssertEqual(try root.readString(from: "spec"), text)
        XCTAssertEqual(try root.readString(from: "empty"), "")
    }

    func testAttributesOnGroupsAndDatasets() throws {
        let file = try HDF5File(creating: path)
        let root = file.root
        try root.setAttribute("format", to: "deeprank-run")
        try root.setAttribute("seed", to: Int64(7))
        try root.setAttribute("rate", to: 0.01)
        try root.setAttribute("scales", to: [1.0, 0.5])
        try root.setAttribute("steps", to: [1, 2, 3])  // Int, stored as int64
        let dataset = try root.write([Float](repeating: 0, count: 6), shape: [2, 3], to: "w")
        try dataset.setAttribute("layout", to: "OI")
        try root.setAttribute("seed", to: Int64(8))  // replaces
        try file.close()

        let reopened = try HDF5File(reading: path).root
        XCTAssertEqual(try reopened.attributeNames(), ["format", "rate", "scales", "seed", "steps"])
        XCTAssertEqual(try reopened.stringAttribute("format"), "deeprank-run")
        XCTAssertEqual(try reopened.attribute("seed", as: Int64.self), 8)
        XCTAssertEqual(try reopened.attribute("rate", as: Double.self), 0.01)
        XCTAssertEqual(try reopened.attributeArray("scales", as: Double.self), [1.0, 0.5])
        XCTAssertEqual(try reopened.attributeArray("steps", as: Int64.self), [1, 2, 3])
        XCTAssertEqual(try reopened.dataset("w").stringAttribute("layout"), "OI")
        XCTAssertTrue(try reopened.hasAttribute("seed"))
        XCTAssertFalse(try reopened.hasAttribute("missing"))
        assertThrows(try reopened.attribute("missing", as: Double.self),
                     containing: [path, "attribute \"missing\"", "not found"])
        assertThrows(try reopened.attribute("scales", as: Double.self), containing: [path, "scales"])
        assertThrows(try reopened.attribute("format", as: Double.self), containing: [path, "string"])
    }

    func testDeleteAttribute() throws {
        let root = try HDF5File(creating: path).root
        try root.setAttribute("a", to: 1.0)
        try root.deleteAttribute("a")
        XCTAssertEqual(try root.attributeNames(), [])
        assertThrows(try root.deleteAttribute("a"), containing: [path, "not found"])
    }

    func testNestedGroupsAndChildNames() throws {
        let file = try HDF5File(creating: path)
        let root = file.root
        let c = try root.createGroup("a/b/c")
        XCTAssertEqual(c.path, "/a/b/c")
        XCTAssertEqual(try root.createGroup("a/b").path, "/a/b")  // existing: returned as is
        for name in ["zeta", "alpha", "Beta", "mid"] { try c.write([Float(1)], to: name) }
        try root.write([Int32(1)], to: "a/direct/leaf")  // parents created on write
        try file.close()

        let reopened = try HDF5File(reading: path).root
        XCTAssertEqual(try reopened.group("a/b/c").childNames(), ["Beta", "alpha", "mid", "zeta"])
        XCTAssertEqual(try reopened.childNames(), ["a"])
        XCTAssertEqual(try reopened.group("a").childNames(), ["b", "direct"])
        XCTAssertTrue(try reopened.contains("a/b/c/mid"))
        XCTAssertTrue(try reopened.group("a").contains("/a/b"))
        XCTAssertFalse(try reopened.contains("a/b/c/mid/deeper"))
        XCTAssertFalse(try reopened.contains("nothing/here"))
        XCTAssertEqual(try reopened.group("a/b").group("c").dataset("alpha").path, "/a/b/c/alpha")
    }

    func testDeleteRemovesGroupsAndDatasets() throws {
        let root = try HDF5File(creating: path).root
        try root.write([Float(1)], to: "g/x")
        try root.write([Float(2)], to: "y")
        try root.delete("g")
        try root.delete("y")
        XCTAssertEqual(try root.childNames(), [])
        assertThrows(try root.delete("y"), containing: [path, "/y", "not found"])
    }

    func testOverwriteReplacesOnlyWhenAsked() throws {
        let file = try HDF5File(creating: path)
        let root = file.root
        try root.write([Float](repeating: 1, count: 4), shape: [2, 2], to: "w")
        assertThrows(try root.write([Float(2)], to: "w"), containing: [path, "/w", "already exists"])
        try root.write([Double](repeating: 3, count: 6), shape: [3, 2], to: "w", overwrite: true)
        try root.createGroup("g")
        assertThrows(try root.write([Float(2)], to: "g", overwrite: true), containing: ["/g", "already exists"])
        try file.close()
        let (values, shape) = try HDF5File(reading: path).root.read(Double.self, from: "w")
        XCTAssertEqual(values, [Double](repeating: 3, count: 6))
        XCTAssertEqual(shape, [3, 2])
    }

    func testUpdatingAddsToAnExistingFile() throws {
        try HDF5File(creating: path).root.write([Float(1)], to: "first")
        let file = try HDF5File(updating: path)
        try file.root.write([Float(2)], to: "second")
        try file.flush()
        try file.close()
        try file.close()  // idempotent
        XCTAssertEqual(try HDF5File(reading: path).root.childNames(), ["first", "second"])
    }

    func testCallsFromSeveralThreadsAreSerialised() throws {
        let directory = self.directory
        let failures = LockedCounter()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            do {
                let path = "\(directory)/thread-\(index).h5"
                try HDF5File.writeAtomically(to: path) { root in
                    for step in 0..<20 { try root.write([Float(index)], to: "steps/\(step)") }
                }
                let values = try HDF5File(reading: path).root.read(Float.self, from: "steps/19").values
                if values != [Float(index)] { failures.increment() }
            } catch {
                failures.increment()
            }
        }
        XCTAssertEqual(failures.value, 0)
    }
}

/// A counter that several threads may increment.
private final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
