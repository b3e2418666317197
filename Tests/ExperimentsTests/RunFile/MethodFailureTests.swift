import Experiments
import RunFile
import Storage
import XCTest

/// A method whose loss becomes infinite or NaN stops with a reason recorded in the run
/// file (status `failed`); the other methods still run and get their rows.
final class MethodFailureTests: XCTestCase {
    func testADivergingMethodIsRecordedAsFailedAndOthersStillRun() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("MethodFailureTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        let specPath = url.path + "/diverge.yaml"
        try tinySpecText.replacingOccurrences(of: "steps: 3, batch_size: 4}", with: "steps: 6, batch_size: 4, learning_rate: 3.0e+38}")
            .write(toFile: specPath, atomically: true, encoding: .utf8)
        let outcome = try tinyRunner(try SpecParser.load(path: specPath), out: url.path + "/out").run()[0]
        XCTAssertEqual(outcome.result.rows.map(\.row), ["hog", "oasis-hog"], "the others still produce their rows")
        let reason = try XCTUnwrap(outcome.result.failures["deep-ranking"])
        XCTAssertTrue(reason.contains("deep-ranking: loss became"), reason)

        let file = try HDF5File(reading: outcome.path)
        let group = try file.root.group("methods/deep-ranking")
        XCTAssertEqual(try group.stringAttribute("status"), "failed")
        XCTAssertEqual(try group.stringAttribute("reason"), reason)
        XCTAssertEqual(try file.root.group("methods/hog").stringAttribute("status"), "complete")
        XCTAssertFalse(try group.group("history").childNames().isEmpty, "the curve up to the failure is kept")
        XCTAssertTrue(try Replay.run(path: outcome.path).identical)
    }

    /// With checkpoints on, a failed method keeps the weights of its last good checkpoint.
    func testAFailedMethodKeepsItsLastGoodCheckpoint() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("MethodFailureTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        let specPath = url.path + "/diverge.yaml"
        // A learning rate that turns the loss infinite only after some steps.
        try tinySpecText.replacingOccurrences(of: "steps: 3, batch_size: 4}", with: "steps: 12, batch_size: 4, learning_rate: 1.0e+12}")
            .write(toFile: specPath, atomically: true, encoding: .utf8)
        let runner = SpecRunner(spec: try SpecParser.load(path: specPath), outputDirectory: url.path + "/out",
                                commandLine: "test", log: { _ in }, checkpointInterval: 1)
        let outcome = try runner.run()[0]
        let reason = try XCTUnwrap(outcome.result.failures["deep-ranking"])
        let deep = try RunFileReader(path: outcome.path).method("deep-ranking")
        XCTAssertEqual(deep.failure, reason)
        guard let step = reason.range(of: "last good checkpoint (step ") else {
            throw NSError(domain: "a missing prerequisite fails the test (it is never skipped)", code: 1, userInfo: [NSLocalizedDescriptionKey: "the loss diverged at the first step, before any checkpoint, so this test checks nothing: \\(reason)"])
        }
        XCTAssertFalse(step.isEmpty)
        XCTAssertFalse(deep.weights.isEmpty, "the last good checkpoint's weights are stored")
        XCTAssertTrue(deep.weights.allSatisfy { $0.values.allSatisfy(\.isFinite) })
        XCTAssertTrue(try Replay.run(path: outcome.path).identical)
    }
}
