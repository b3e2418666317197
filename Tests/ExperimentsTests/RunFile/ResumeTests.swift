import Experiments
import Foundation
import Methods
import RunFile
import XCTest

/// Resume, nothing lost: a run interrupted at any checkpoint and started again with the
/// same settings ends with the same digests as one that was never interrupted. Here the
/// interruption is an error thrown by the checkpoint writer after its n-th write (the run
/// file then holds exactly what a SIGKILL right after that write would leave); CLITests
/// kills a real `deeprank run` with SIGKILL.
final class ResumeTests: XCTestCase {
    /// Two network methods (the classifier, then deep ranking with classifier pre-training,
    /// then OASIS on it): checkpoints inside each loop and between methods.
    static let specText = """
        experiment: resume
        seeds: [3]
        dataset: {kind: synthetic, categories: 3, images_per_category: 12, image_size: 32}
        split: {test_fraction: 0.34}
        input: {size: 32, max_shift: 2}
        evaluation: {triplets: 16, relevance_gap: 0.1}
        methods:
          - {name: hog, type: handcrafted, feature: hog}
          - {name: classifier, type: classifier, network: {preset: tiny, input_size: 32}, steps: 6, batch_size: 4}
          - {name: deep, type: deep-ranking, network: {preset: tiny, input_size: 32}, steps: 7, batch_size: 3,
             pretrain: {steps: 4, batch_size: 4}}
          - {name: oasis-deep, type: oasis, base: deep, steps: 20}

        """

    struct Interrupted: Error {}

    func makeSpec() throws -> (String, ExperimentSpec) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ResumeTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        let path = url.path + "/resume.yaml"
        try Self.specText.write(toFile: path, atomically: true, encoding: .utf8)
        return (url.path, try SpecParser.load(path: path))
    }

    /// Runs until the `stopAfter`-th checkpoint write has finished, then throws.
    func interruptedRun(_ spec: ExperimentSpec, out: String, stopAfter: Int) throws {
        var writes = 0
        var runner = SpecRunner(spec: spec, outputDirectory: out, commandLine: "test", log: { _ in },
                                checkpointInterval: 2)
        runner.afterCheckpoint = {
            writes += 1
            if writes == stopAfter { throw Interrupted() }
        }
        XCTAssertThrowsError(try runner.run()) { XCTAssertTrue($0 is Interrupted, "\($0)") }
    }

    func testResumingFromEveryCheckpointGivesTheUninterruptedDigests() throws {
        let (directory, spec) = try makeSpec()
        var count = 0
        var reference = SpecRunner(spec: spec, outputDirectory: directory + "/reference", commandLine: "test",
                                   log: { _ in }, checkpointInterval: 2)
        reference.afterCheckpoint = { count += 1 }
        let expected = try reference.run()[0].digests
        // classifier 6 steps: 2 loop checkpoints (after 2, 4), pretrain 4 steps: 1, deep 7 steps:
        // 3, plus one after each method but the last.
        XCTAssertGreaterThanOrEqual(count, 9, "checkpoints written by the uninterrupted run")

        for stop in 1...count {
            let out = directory + "/stop-\(stop)"
            try interruptedRun(spec, out: out, stopAfter: stop)
            let path = out + "/seed-3.h5"
            let interrupted = try RunFileReader(path: path)
            XCTAssertEqual(interrupted.status, .running, "checkpoint \(stop)")
            XCTAssertThrowsError(try Replay.run(path: path)) { error in
                XCTAssertEqual(error as? RunFileError, .notComplete(file: path))
            }
            var logs: [String] = []
            let resumed = try SpecRunner(spec: spec, outputDirectory: out, commandLine: "test", log: { logs.append($0) },
                                         checkpointInterval: 2).run()
            XCTAssertTrue(logs.contains { $0.contains("resuming from the checkpoint") }, logs.joined(separator: "\n"))
            XCTAssertEqual(resumed.first?.digests, expected, "resumed after checkpoint \(stop) of \(count)")
            let reader = try RunFileReader(path: path)
            XCTAssertEqual(reader.status, .complete)
            XCTAssertEqual(try reader.digests(), expected)
            XCTAssertNil(try reader.checkpoint(), "a complete file keeps no checkpoint")
        }
    }

    func testACheckpointHoldsTheTrainingLoopState() throws {
        let (directory, spec) = try makeSpec()
        // Checkpoint 1 follows hog (between methods); checkpoint 2 is the classifier after 2 of its 6 steps.
        try interruptedRun(spec, out: directory, stopAfter: 2)
        let record = try RunFileReader(path: directory + "/seed-3.h5").record()
        XCTAssertEqual(record.status, .running)
        XCTAssertEqual(record.methods.map(\.name), ["hog"], "only finished methods are stored")
        XCTAssertEqual(record.rows.map(\.row), ["hog"])
        let state = try XCTUnwrap(record.checkpoint)
        XCTAssertEqual(state.loop, "classifier")
        XCTAssertEqual(state.step, 2)
        XCTAssertEqual(state.history["loss"]?.count, 2)
        XCTAssertEqual(Set(state.streams.keys), ["batches", "dropout/deep.fc"])
        XCTAssertTrue(state.arrays.contains { $0.name == "optimizer/velocity" })
        XCTAssertTrue(state.arrays.contains { $0.name == "param/deep.fc.weight" })
    }

    /// A spec whose comments or description were reworded is the same experiment
    /// (`SpecIdentity`): its interrupted run resumes.
    func testARewordedSpecResumesItsRun() throws {
        let (directory, spec) = try makeSpec()
        try interruptedRun(spec, out: directory, stopAfter: 1)
        var reworded = spec
        reworded.text = "# A comment added after the run started.\n" + spec.text
        let outcomes = try SpecRunner(spec: reworded, outputDirectory: directory, commandLine: "test", log: { _ in }).run()
        XCTAssertEqual(outcomes.count, 1)
        XCTAssertEqual(try RunFileReader(path: directory + "/seed-3.h5").status, .complete)
    }

    func testAnotherSpecsOutputIsNotResumedOrReplaced() throws {
        let (directory, spec) = try makeSpec()
        try interruptedRun(spec, out: directory, stopAfter: 1)
        var other = spec
        other.text = other.text.replacingOccurrences(of: "steps: 20}", with: "steps: 21}")
        XCTAssertThrowsError(try SpecRunner(spec: other, outputDirectory: directory, commandLine: "test", log: { _ in }).run()) {
            XCTAssertEqual($0 as? RunFileError, .outputExists(file: directory + "/seed-3.h5"))
        }
        // --overwrite starts again from scratch.
        let fresh = try SpecRunner(spec: other, outputDirectory: directory, overwrite: true, commandLine: "test",
                                   log: { _ in }).run()
        XCTAssertEqual(fresh.count, 1)
    }

    func testAFinishedSeedIsKeptAndTheRestRun() throws {
        let (directory, spec) = try makeSpec()
        let first = try SpecRunner(spec: spec, seeds: [3], outputDirectory: directory, commandLine: "test", log: { _ in }).run()
        var logs: [String] = []
        let both = try SpecRunner(spec: spec, seeds: [3, 4], outputDirectory: directory, commandLine: "test",
                                  log: { logs.append($0) }).run()
        XCTAssertEqual(both.map(\.seed), [4], "seed 3 was complete")
        XCTAssertTrue(logs.contains { $0.contains("seed-3.h5 is complete (from an earlier run); kept") })
        XCTAssertEqual(try RunFileReader(path: directory + "/seed-3.h5").digests(), first[0].digests)
        XCTAssertThrowsError(try SpecRunner(spec: spec, seeds: [3, 4], outputDirectory: directory, commandLine: "test",
                                            log: { _ in }).run()) {
            XCTAssertEqual($0 as? RunFileError, .outputExists(file: directory + "/seed-3.h5"), "nothing left to do")
        }
    }
}
