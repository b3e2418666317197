import Experiments
import Foundation
import RunFile
import XCTest

extension XCTestCase {
    /// A temporary folder holding `spec.yaml` with `text` (removed when the test ends) and
    /// the spec parsed from it.
    func loadSpec(_ text: String, folderPrefix: String) throws -> (directory: String, spec: ExperimentSpec) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(folderPrefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        try text.write(toFile: url.path + "/spec.yaml", atomically: true, encoding: .utf8)
        return (url.path, try SpecParser.load(path: url.path + "/spec.yaml"))
    }

    /// The digests of a quiet run of `spec` into `out`, checkpointing every `interval` steps.
    func runDigests(_ spec: ExperimentSpec, out: String, interval: Int = 0) throws -> RunDigests {
        try SpecRunner(spec: spec, outputDirectory: out, commandLine: "test", log: { _ in },
                       checkpointInterval: interval).run()[0].digests
    }

    /// Runs `spec` with checkpoints every `interval` steps (at least `minimumCheckpoints` of
    /// them), then once per checkpoint a run interrupted right after writing it and resumed:
    /// each must end with `expected`.
    func assertResumesIdentically(_ spec: ExperimentSpec, in directory: String, interval: Int, expected: RunDigests,
                                  minimumCheckpoints: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        struct Interrupted: Error {}
        var writes = 0
        var counter = SpecRunner(spec: spec, outputDirectory: directory + "/count", commandLine: "test", log: { _ in },
                                 checkpointInterval: interval)
        counter.afterCheckpoint = { writes += 1 }
        XCTAssertEqual(try counter.run()[0].digests, expected, "checkpoints change nothing", file: file, line: line)
        XCTAssertGreaterThanOrEqual(writes, minimumCheckpoints, file: file, line: line)
        for stop in 1...max(writes, 1) {
            let out = directory + "/stop-\(stop)"
            var seen = 0
            var runner = SpecRunner(spec: spec, outputDirectory: out, commandLine: "test", log: { _ in },
                                    checkpointInterval: interval)
            runner.afterCheckpoint = {
                seen += 1
                if seen == stop { throw Interrupted() }
            }
            XCTAssertThrowsError(try runner.run(), file: file, line: line)
            XCTAssertEqual(try runDigests(spec, out: out, interval: interval), expected,
                           "resumed after checkpoint \(stop) of \(writes)", file: file, line: line)
        }
    }
}
