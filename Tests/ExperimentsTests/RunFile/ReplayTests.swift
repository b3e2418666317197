import Experiments
import Storage
import TensorKit
import XCTest

/// `deeprank replay`: a stored run replays identically, also with another thread count;
/// a changed value is found and named.
final class ReplayTests: XCTestCase {
    override func tearDown() { Parallel.configure(threads: 1) }

    func testReplayIsIdenticalAndFindsATamperedWeight() throws {
        let (directory, spec) = try makeTinyRunDirectory(self)
        let out = directory + "/out"
        Parallel.configure(threads: 1)
        let path = try tinyRunner(spec, out: out).run()[0].path
        Parallel.configure(threads: 2)
        let report = try Replay.run(path: path)
        XCTAssertTrue(report.identical, "\(String(describing: report.firstDifference))")
        XCTAssertEqual(report.stored, report.replayed)

        // Change one weight in the stored file: replay must name that dataset.
        let weight = "/methods/deep-ranking/weights/deep.fc.bias"
        do {
            let file = try HDF5File(updating: path)
            var (values, shape) = try file.root.read(Float.self, from: weight)
            values[0] += 0.25
            try file.root.write(values, shape: shape, to: weight, overwrite: true)
            try file.close()
        }
        let tampered = try Replay.run(path: path)
        XCTAssertFalse(tampered.identical)
        XCTAssertEqual(tampered.firstDifference?.path, weight)
        XCTAssertEqual(tampered.firstDifference?.maxAbsoluteDifference ?? 0, 0.25, accuracy: 1e-6)
    }
}
