import Foundation
import XCTest

/// The command-line tool, run as a user runs it: `check`, `run` and `replay` on a tiny
/// spec, comparing exit codes and output.
final class CLITests: CLITestCase {
    func testCheckRunAndReplay() throws {
        let directory = try makeTemporaryDirectory("CLITests")
        let spec = directory.appendingPathComponent("tiny.yaml").path
        try Self.tinySpec(experiment: "cli-tiny", seeds: [7], methods: [
            "- {name: lbp, type: handcrafted, feature: lbp}",
            "- {name: deep-ranking, type: deep-ranking, network: {preset: tiny, input_size: 32}, steps: 2, batch_size: 4}"
        ]).write(toFile: spec, atomically: true, encoding: .utf8)

        let check = try deeprank(["check", spec])
        XCTAssertEqual(check.status, 0, check.output)
        XCTAssertTrue(check.output.contains("ok (experiment cli-tiny, 1 seed, 2 methods: lbp, deep-ranking)"), check.output)

        let out = directory.appendingPathComponent("out").path
        let run = try deeprank(["run", spec, "--out", out, "--threads", "1"])
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("cli-tiny seed 7: wrote \(out)/seed-7.h5"), run.output)

        let again = try deeprank(["run", spec, "--out", out])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.output.contains("seed-7.h5: already exists"), again.output)

        let replay = try deeprank(["replay", "\(out)/seed-7.h5", "--threads", "2"])
        XCTAssertEqual(replay.status, 0, replay.output)
        XCTAssertTrue(replay.output.contains("seed-7.h5: identical"), replay.output)
    }

    func testBadSpecFailsWithFileLineAndSuggestion() throws {
        let spec = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml").path
        try "experiment: x\nseeds: [1]\ndataset: {kind: synthetic}\nmethods:\n  - {name: a, type: handcraftd}\n"
            .write(toFile: spec, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: spec) }
        let check = try deeprank(["check", spec])
        XCTAssertEqual(check.status, 1)
        XCTAssertTrue(check.output.contains("\(spec):5:"), check.output)
        XCTAssertTrue(check.output.contains("did you mean 'handcrafted'"), check.output)
    }
}
