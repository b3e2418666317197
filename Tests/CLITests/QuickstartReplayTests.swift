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
}
