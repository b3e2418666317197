import Foundation
import XCTest

/// The quickstart experiment (the README's first command), at a reduced budget (the
/// committed spec with every step count, batch and triplet count made small), runs through
/// the built binary and replays bit-identically with another thread count.
final class QuickstartReplayTests: CLITestCase {
    /// The spec text with budgets cut: steps 2, batches 4, 50 triplets, 20 images per category.
    static func reduced(_ text: String) throws -> String {
        var out = text
        for (pattern, replacement) in [("steps: [0-9]+", "steps: 2"), ("batch_size: [0-9]+", "batch_size: 4"),
                                       ("triplets: [0-9]+", "triplets: 50"),
                                       ("dataset: \\{kind: synthetic\\}", "dataset: {kind: synthetic, images_per_category: 20}")] {
            let regex = try NSRegularExpression(pattern: pattern)
            out = regex.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: replacement)
        }
        return out
    }

    func testReducedQuickstartRunsAndReplaysIdentically() throws {
        let original = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("Experiments/quickstart.yaml"),
                                  encoding: .utf8)
        let text = try Self.reduced(original)
        XCTAssertTrue(text.contains("images_per_category: 20"), "the dataset line of quickstart.yaml changed; update reduced()")
        XCTAssertFalse(text.contains("steps: 250") || text.contains("steps: 200"), text)

        let directory = try makeTemporaryDirectory("Quickstart")
        let spec = directory.appendingPathComponent("quickstart-reduced.yaml").path
        try text.write(toFile: spec, atomically: true, encoding: .utf8)

        let out = directory.appendingPathComponent("out").path
        let run = try deeprank(["run", spec, "--out", out, "--threads", "2"])
        XCTAssertEqual(run.status, 0, run.output)
        for row in ["wavelet", "golden", "oasis-hog", "classifier-penultimate", "oasis-single-scale", "deep-ranking"] {
            XCTAssertTrue(run.output.contains("\(row): similarity precision"), "\(row)\n\(run.output)")
        }
        let replay = try deeprank(["replay", out + "/seed-1.h5", "--threads", "1"])
        XCTAssertEqual(replay.status, 0, replay.output)
        XCTAssertTrue(replay.output.contains("seed-1.h5: identical"), replay.output)
    }

    /// Issue 17: the reduced quickstart run on every instruction-set path this CPU runs
    /// (`--isa`) stores the same digests, and each run file records its path.
    func testReducedQuickstartGivesTheSameBitsOnEveryPath() throws {
        let original = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("Experiments/quickstart.yaml"),
                                  encoding: .utf8)
        let directory = try makeTemporaryDirectory("QuickstartPaths")
        let spec = directory.appendingPathComponent("quickstart-reduced.yaml").path
        try Self.reduced(original).write(toFile: spec, atomically: true, encoding: .utf8)
        var digests: [String: String] = [:]
        for isa in ["avx512", "avx2", "portable"] {
            let out = directory.appendingPathComponent(isa).path
            let run = try deeprank(["run", spec, "--out", out, "--threads", "2", "--isa", isa])
            if run.status != 0 && run.output.contains("this CPU cannot run the \(isa) path") {
                print("testReducedQuickstartGivesTheSameBitsOnEveryPath: the \(isa) path did not run: this CPU lacks it")
                continue
            }
            XCTAssertEqual(run.status, 0, run.output)
            let line = try XCTUnwrap(run.output.split(separator: "\n").first { $0.contains("wrote") && $0.contains("weights") },
                                     run.output)
            digests[isa] = String(line[line.range(of: "(weights")!.lowerBound...])
            let recorded = Self.provenanceAttribute(out + "/seed-1.h5", "isa")
            XCTAssertEqual(recorded, isa, "the run file records its path")
        }
        XCTAssertNotNil(digests["portable"], "every 64-bit CPU with FMA runs the portable path")
        XCTAssertEqual(Set(digests.values).count, 1, "\(digests)")
    }

    /// `/provenance` attribute `name` of a run file, read with h5dump (an independent reader).
    static func provenanceAttribute(_ file: String, _ name: String) -> String {
        let dump = ClusterCLITests.shell(["/usr/bin/h5dump", "-a", "/provenance/\(name)", file])
        XCTAssertEqual(dump.status, 0, dump.output)
        let text = dump.output
        guard let data = text.range(of: "DATA {"),
              let match = text.range(of: "\"[^\"]*\"", options: .regularExpression, range: data.upperBound..<text.endIndex)
        else { return "" }
        return String(text[match].dropFirst().dropLast())
    }
}
