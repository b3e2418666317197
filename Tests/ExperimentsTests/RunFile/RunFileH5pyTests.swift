import Experiments
import Foundation
import RunFile
import XCTest

/// h5py, the reference HDF5 reader, reads a run file's layout and values.
final class RunFileH5pyTests: XCTestCase {
    func testH5pyReadsARunFile() throws {
        guard let python = ReferencePython.withH5py() else {
            throw NSError(domain: "a missing prerequisite fails the test (it is never skipped)", code: 1, userInfo: [NSLocalizedDescriptionKey: "no Python with h5py (tried $DEEPRANK_PYTHON, /opt/refenv/bin/python, python3, /usr/bin/python3); bash .ci/install-deps installs python3-h5py"])
        }
        let (directory, spec) = try makeTinyRunDirectory(self)
        let outcome = try tinyRunner(spec, out: directory).run()[0]
        let deep = try XCTUnwrap(outcome.result.learned["deep-ranking"]?.first)
        let row = outcome.result.rows[0]
        let check = """
            import sys, h5py, numpy as np
            path, spec, array, shape, first, row, precision, weights = sys.argv[1:9]
            with h5py.File(path, "r") as f:
                a = f.attrs
                assert a["format"] == "deeprank-run" and a["format_version"] == 2 and a["status"] == "complete", dict(a)
                assert a["experiment"] == "tiny-run" and a["seed"] == 5, dict(a)
                assert f["spec"].asstr()[()] == open(spec, encoding="utf-8").read()
                t = f["evaluation/triplets"]
                assert t.dtype == np.int64 and t.shape == (16, 3) and f["evaluation"].attrs["triplet_count"] == 16
                w = f["methods/deep-ranking/weights/" + array]
                assert w.dtype == np.float32 and list(w.shape) == [int(d) for d in shape.split(",")], w.shape
                assert w[()].ravel()[0] == np.float32(float(first)), (w[()].ravel()[0], first)
                r = f["methods/hog/rows/" + row]
                assert r.attrs["similarity_precision"] == float(precision)
                assert r["outcomes"].shape == (16,) and r["outcomes"].dtype == np.float32
                assert f["digests"].attrs["weights"] == weights
                assert f["provenance"].attrs["deeprank_version"] == "0.1.0"
            print("ok")
            """
        let arguments = ["-c", check, outcome.path, spec.path, deep.name, deep.shape.map(String.init).joined(separator: ","),
                         "\(deep.values[0])", row.row, "\(row.similarityPrecision)", outcome.digests.weights]
        let (status, output) = try ReferencePython.run(python, arguments)
        XCTAssertEqual(status, 0, output)
        XCTAssertEqual(output.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines), "ok")
    }

    /// The digests recomputed from the datasets by an independent script (h5py + hashlib,
    /// `Tests/Reference/recompute_digests.py`, written from the README's description) equal
    /// the stored ones, for a fresh run with every weight stored and for committed run files
    /// (where a method's left-out weights keep only their digest, which cannot be recomputed).
    func testDigestsRecomputedWithH5pyAndHashlibEqualTheStoredOnes() throws {
        guard let python = ReferencePython.withH5py() else {
            throw NSError(domain: "a missing prerequisite fails the test (it is never skipped)", code: 1, userInfo: [NSLocalizedDescriptionKey: "no Python with h5py; bash .ci/install-deps installs python3-h5py"])
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("Tests/Reference/recompute_digests.py").path
        let (directory, spec) = try makeTinyRunDirectory(self)
        let fresh = try tinyRunner(spec, out: directory).run()[0].path
        let committed = ["Results/quickstart/seed-1.h5", "Results/table2-architectures/seed-1.h5"].map {
            root.appendingPathComponent($0).path
        }
        for (index, file) in ([fresh] + committed).enumerated() {
            let (status, output) = try ReferencePython.run(python, [script, file])
            XCTAssertEqual(status, 0, output)
            let recomputed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: String], output)
            let stored = try RunFileReader(path: file).digests()
            var expected = ["metrics": stored.metrics, "histories": stored.histories]
            for (method, digest) in stored.methodWeights where recomputed["weights.\(method)"] != nil {
                expected["weights.\(method)"] = digest
            }
            if recomputed["weights"] != nil || index == 0 { expected["weights"] = stored.weights }
            XCTAssertEqual(recomputed.filter { $0.key != "h5py" }, expected, file)
            XCTAssertGreaterThanOrEqual(expected.count, 3, file)
        }
    }
}
