import Foundation
import Storage
import XCTest

/// Interoperability with h5py, the reference reader and writer of HDF5 files in Python.
final class H5pyInteropTests: XCTestCase {
    /// Reads `Tests/Fixtures/storage-h5py.h5`, written by `Tests/Reference/make_storage_fixture.py`.
    func testReadsTheFileWrittenByH5py() throws {
        let path = fixturePath("storage-h5py.h5")
        let file = try HDF5File(reading: path)
        let root = file.root

        XCTAssertEqual(try root.childNames(), ["data", "nested", "text"])
        XCTAssertEqual(try root.group("nested").childNames(), ["a", "empty_group"])
        XCTAssertEqual(try root.group("nested/empty_group").childNames(), [])
        XCTAssertEqual(try root.attributeNames(), [
            "fixed", "h5py_version", "hdf5_version", "learning_rate", "numpy_version", "scales",
            "seed", "title",
        ])
        XCTAssertFalse(try root.stringAttribute("h5py_version").isEmpty)
        XCTAssertEqual(try root.stringAttribute("title"), "deep ranking fixture")
        XCTAssertEqual(try root.stringAttribute("fixed"), "fixed-width")
        XCTAssertEqual(try root.attribute("learning_rate", as: Double.self), 0.001)
        XCTAssertEqual(try root.attribute("seed", as: Int64.self), 42)
        XCTAssertEqual(try root.attributeArray("scales", as: Double.self), [1.0, 0.5, 0.25])

        let weights = try root.read(Float.self, from: "data/float32_4d")
        XCTAssertEqual(weights.shape, [2, 3, 2, 2])
        XCTAssertEqual(weights.values, (0..<24).map { Float($0) * 0.5 - 3 })
        XCTAssertEqual(try root.dataset("data/float32_4d").stringAttribute("layout"), "NCHW")

        let doubles: [Double] = [1.0 / 3.0, 2.5, -1.0e10]
        XCTAssertEqual(try root.read(Double.self, from: "data/float64").values, doubles)
        // float64 read as Float rounds to the nearest Float.
        XCTAssertEqual(try root.read(Float.self, from: "data/float64").values, doubles.map { Float($0) })

        XCTAssertEqual(try root.read(Int64.self, from: "data/int64").values, [-(1 << 40), 0, 7])
        let int16 = try root.read(Int32.self, from: "data/int16")  // widened losslessly
        XCTAssertEqual(int16.values, [1, -2, 300, -400])
        XCTAssertEqual(int16.shape, [2, 2])
        assertThrows(try root.read(UInt8.self, from: "data/int16"), containing: [path, "int16", "uint8"])

        XCTAssertEqual(try root.dataset("data/scalar").shape(), [])
        XCTAssertEqual(try root.readScalar(Double.self, from: "data/scalar"), 2.75)
        let empty = try root.read(Float.self, from: "data/empty")
        XCTAssertEqual(empty.shape, [0, 3])
        XCTAssertEqual(empty.values, [])

        XCTAssertEqual(try root.readString(from: "text"), "déjà vu: fine-grained ✓")
        XCTAssertEqual(try root.read(Int32.self, from: "nested/a/b/leaf").values, [5, 6, 7])
    }

    /// Writes a file with this module and has h5py read it back (`.ci/install-deps` installs h5py).
    func testH5pyReadsOurFile() throws {
        guard let python = pythonWithH5py() else {
            throw NSError(domain: "a missing prerequisite fails the test (it is never skipped)", code: 1, userInfo: [NSLocalizedDescriptionKey: "no Python with h5py (tried $DEEPRANK_PYTHON, /opt/refenv/bin/python, python3, /usr/bin/python3); bash .ci/install-deps installs python3-h5py"])
        }
        let directory = try makeTemporaryDirectory(self)
        let path = directory + "/ours.h5"
        try HDF5File.writeAtomically(to: path) { root in
            try root.setAttribute("format", to: "deeprank-run")
            try root.setAttribute("seed", to: Int64(7))
            try root.setAttribute("scales", to: [1.0, 0.5])
            try root.write(string: "déjà ✓", to: "spec")
            try root.write((0..<24).map { Float($0) / 4 }, shape: [2, 3, 2, 2], to: "a/b/w")
                .setAttribute("layout", to: "NCHW")
            try root.write([1.0 / 3.0], to: "a/d")
            try root.write([Int32.min, Int32.max], to: "a/i32")
            try root.write([Int64.min], to: "a/i64")
            try root.write([UInt8(255)], to: "a/u8")
            try root.write([UInt64.max], to: "a/u64")
            try root.write(scalar: Float(2.5), to: "scalar")
            try root.write([Float](), shape: [0, 4], to: "empty")
        }
        let check = """
            import sys, h5py, numpy as np
            with h5py.File(sys.argv[1], "r") as f:
                assert f.attrs["format"] == "deeprank-run", f.attrs["format"]
                assert f.attrs["seed"] == 7 and f.attrs["seed"].dtype == np.int64
                assert list(f.attrs["scales"]) == [1.0, 0.5]
                assert f["spec"][()].decode() == "déjà ✓" and f["spec"].asstr()[()] == "déjà ✓"
                w = f["a/b/w"]
                assert w.dtype == np.float32 and w.shape == (2, 3, 2, 2)
                assert np.array_equal(w[()].ravel(), np.arange(24, dtype=np.float32) / 4)
                assert w.attrs["layout"] == "NCHW"
                assert f["a/d"][0] == 1.0 / 3.0
                assert list(f["a/i32"][()]) == [-2**31, 2**31 - 1] and f["a/i32"].dtype == np.int32
                assert f["a/i64"][0] == -2**63 and f["a/u8"][0] == 255 and f["a/u64"][0] == 2**64 - 1
                assert f["scalar"].shape == () and f["scalar"][()] == 2.5
                assert f["empty"].shape == (0, 4)
                assert sorted(f.keys()) == ["a", "empty", "scalar", "spec"]
            print("h5py read ok")
            """
        let (status, output) = try run(python, ["-c", check, path])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("h5py read ok"), output)
    }

    /// A Python interpreter that can import h5py, or nil.
    private func pythonWithH5py() -> [String]? {
        var candidates = [["/opt/refenv/bin/python"], ["/usr/bin/env", "python3"], ["/usr/bin/python3"]]
        if let chosen = ProcessInfo.processInfo.environment["DEEPRANK_PYTHON"] { candidates.insert(["/usr/bin/env", chosen], at: 0) }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate[0]) {
            if let (status, _) = try? run(candidate, ["-c", "import h5py"]), status == 0 {
                return candidate
            }
        }
        return nil
    }

    private func run(_ command: [String], _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst()) + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
