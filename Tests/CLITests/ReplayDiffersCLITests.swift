import Foundation
import XCTest

/// `deeprank replay` through the built binary when the bits do not match: a stored weight
/// changed in the file (h5py edits a copy), and a weight kept only as its digest
/// (`store_weights: none`) whose digest was changed. Each prints `DIFFERS at` the place and
/// exits 1; the untouched file replays `identical` and exits 0.
final class ReplayDiffersCLITests: CLITestCase {
    /// Runs /usr/bin/python3 (Debian's, with h5py: `.ci/install-deps`) on `code` with `arguments`.
    func python(_ code: String, _ arguments: [String]) -> (status: Int32, output: String) {
        ClusterCLITests.shell(["/usr/bin/python3", "-c", code] + arguments)
    }

    func testATamperedWeightAndATamperedWeightDigestMakeReplayFail() throws {
        let directory = try makeTemporaryDirectory("ReplayDiffers")
        for storage in ["all", "none"] {
            let spec = directory.appendingPathComponent("differs-\(storage).yaml").path
            try (Self.tinySpec(experiment: "differs-\(storage)", seeds: [3], methods: [
                "- {name: deep-ranking, type: deep-ranking, network: {preset: tiny, input_size: 32}, steps: 20, batch_size: 4}",
            ]) + "store_weights: \(storage)\n").write(toFile: spec, atomically: true, encoding: .utf8)
            let out = directory.appendingPathComponent(storage).path
            let run = try deeprank(["run", spec, "--out", out])
            XCTAssertEqual(run.status, 0, run.output)
            let original = out + "/seed-3.h5", tampered = out + "/tampered.h5"

            let identical = try deeprank(["replay", original, "--threads", "1"])
            XCTAssertEqual(identical.status, 0, identical.output)
            XCTAssertTrue(identical.output.contains("\(original): identical"), identical.output)

            try FileManager.default.copyItem(atPath: original, toPath: tampered)
            let expected: String
            if storage == "all" {
                // One value of the first stored weight, nudged by one unit in the last place.
                let edit = python("""
                    import sys, h5py, numpy as np
                    with h5py.File(sys.argv[1], "r+") as f:
                        g = f["methods/deep-ranking/weights"]
                        name = sorted(g)[0]
                        w = g[name][()]
                        flat = w.reshape(-1)
                        flat[0] = np.nextafter(flat[0], np.float32(np.inf))
                        g[name][...] = w
                        print(name)
                    """, [tampered])
                XCTAssertEqual(edit.status, 0, edit.output)
                expected = "DIFFERS at /methods/deep-ranking/weights/\(edit.output.trimmingCharacters(in: .whitespacesAndNewlines))"
            } else {
                let edit = python("""
                    import sys, h5py
                    with h5py.File(sys.argv[1], "r+") as f:
                        assert int(f["methods/deep-ranking/weights"].attrs["stored"]) == 0
                        assert len(f["methods/deep-ranking/weights"]) == 0
                        f["digests"].attrs["weights.deep-ranking"] = "0" * 64
                    """, [tampered])
                XCTAssertEqual(edit.status, 0, edit.output)
                expected = "DIFFERS at /digests attribute weights.deep-ranking"
            }
            let differs = try deeprank(["replay", tampered, "--threads", "1"])
            XCTAssertEqual(differs.status, 1, differs.output)
            XCTAssertTrue(differs.output.contains("\(tampered): \(expected)"), "\(expected) not in\n\(differs.output)")
        }
    }
}
