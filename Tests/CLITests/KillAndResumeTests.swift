import Foundation
import XCTest

/// Resume, nothing lost: `deeprank run` killed with SIGKILL in the middle of training and
/// started again with the same command resumes from its last checkpoint, and the finished
/// run file replays bit-identically (`deeprank replay` re-runs it from scratch,
/// uninterrupted, and compares every stored value).
final class KillAndResumeTests: CLITestCase {
    func testSIGKILLDuringTrainingThenTheSameCommandResumesAndReplaysIdentically() throws {
        let directory = try makeTemporaryDirectory("KillTests")
        let spec = directory.appendingPathComponent("kill.yaml").path
        try Self.tinySpec(experiment: "kill", seeds: [2], methods: [
            "- {name: lbp, type: handcrafted, feature: lbp}",
            "- {name: deep-ranking, type: deep-ranking, network: {preset: tiny, input_size: 32}, steps: 120, batch_size: 4}"
        ]).write(toFile: spec, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("out").path
        let runFile = out + "/seed-2.h5"
        let command = ["run", spec, "--out", out, "--threads", "2", "--checkpoint-every", "5"]

        // Kill once the run file holds a training checkpoint (it first appears after lbp).
        let first = try start(command, output: directory.path + "/first.log")
        let deadline = Date().addingTimeInterval(120)
        var log = ""
        while Date() < deadline && first.isRunning {
            log = (try? String(contentsOfFile: directory.path + "/first.log", encoding: .utf8)) ?? ""
            if FileManager.default.fileExists(atPath: runFile) && log.contains("deep-ranking: step") { break }
            usleep(20_000)
        }
        XCTAssertTrue(first.isRunning, "the run finished before it could be killed; make it longer\n\(log)")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        XCTAssertEqual(first.terminationReason, .uncaughtSignal)
        XCTAssertTrue(FileManager.default.fileExists(atPath: runFile + ".lock"), "SIGKILL leaves the lock behind")

        // The same command again: takes over the stale lock and resumes.
        let second = try start(command, output: directory.path + "/second.log")
        second.waitUntilExit()
        let resumed = try String(contentsOfFile: directory.path + "/second.log", encoding: .utf8)
        XCTAssertEqual(second.terminationStatus, 0, resumed)
        XCTAssertTrue(resumed.contains("resuming from the checkpoint"), resumed)
        XCTAssertTrue(resumed.contains("deep-ranking: resuming at step"), resumed)
        XCTAssertTrue(resumed.contains("wrote \(runFile)"), resumed)
        XCTAssertFalse(FileManager.default.fileExists(atPath: runFile + ".lock"))

        let replay = try start(["replay", runFile, "--threads", "1"], output: directory.path + "/replay.log")
        replay.waitUntilExit()
        let replayed = try String(contentsOfFile: directory.path + "/replay.log", encoding: .utf8)
        XCTAssertEqual(replay.terminationStatus, 0, replayed)
        XCTAssertTrue(replayed.contains("seed-2.h5: identical"), replayed)
    }
}
