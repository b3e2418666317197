import Foundation
import XCTest

extension CLITests {
    /// A spec whose budgets are far too large for a test; the bench's options cut them down.
    func writeMethodsBenchSpec() throws -> String {
        let spec = try makeTemporaryDirectory("CLITests-bench-methods").appendingPathComponent("bench.yaml").path
        try Self.tinySpec(experiment: "cli-bench-methods", seeds: [5, 6], methods: [
            "- {name: lbp, type: handcrafted, feature: lbp}",
            "- {name: oasis-lbp, type: oasis, base: lbp, steps: 100000}",
            "- name: ranking",
            "  type: deep-ranking",
            "  network: {preset: tiny, input_size: 32}",
            "  steps: 5000",
            "  batch_size: 4",
            "  pretrain: {steps: 3000, batch_size: 6}"
        ]).write(toFile: spec, atomically: true, encoding: .utf8)
        return spec
    }

    /// `deeprank bench methods --spec SPEC`: the spec's methods on its first seed, with the
    /// budget options replacing the spec's steps.
    func testBenchMethodsRunsASpecWithBudgetOverrides() throws {
        let spec = try writeMethodsBenchSpec()
        let result = try deeprank(["bench", "methods", "--spec", spec, "--ranking-steps", "2", "--pretrain-steps", "1",
                                   "--oasis-steps", "5", "--threads", "2"])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("ranking.pretrain: step 1/1 cross-entropy"), result.output)
        XCTAssertTrue(result.output.contains("ranking: step 2/2 loss"), result.output)
        XCTAssertTrue(result.output.contains(" updates in 5 steps"), result.output)
        XCTAssertTrue(result.output.contains("evaluation triplets"), result.output)
        XCTAssertTrue(result.output.contains(", seed 5:"), result.output)
        for row in ["lbp", "oasis-lbp", "ranking"] {
            XCTAssertTrue(result.output.contains("\n  \(row) "), "\(row): \(result.output)")
        }
    }

    /// `--methods` and `--seed` with `--json`: one object per row.
    func testBenchMethodsPrintsRowsAsJSON() throws {
        let spec = try writeMethodsBenchSpec()
        let result = try deeprankSeparately(["bench", "methods", "--spec", spec, "--methods", "lbp", "--seed", "6",
                                             "--threads", "2", "--json"])
        XCTAssertEqual(result.status, 0, result.err)
        let lines = result.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.out)
        let row = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(row["row"] as? String, "lbp")
        XCTAssertEqual(row["seed"] as? Int, 6)
        XCTAssertEqual(row["triplets"] as? Int, 16)
        XCTAssert((0...1).contains(try XCTUnwrap(row["similarity_precision"] as? Double)))
    }

    /// A missing spec, an unknown method and an override out of range stop before anything trains.
    func testBenchMethodsRefusesBadInput() throws {
        let missing = try deeprank(["bench", "methods", "--spec", "/nonexistent/spec.yaml"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.output.contains("/nonexistent/spec.yaml:1:1: cannot read the spec: no such file"),
                      missing.output)
        XCTAssertTrue(missing.output.contains("pass --spec PATH"), missing.output)

        let spec = try writeMethodsBenchSpec()
        let unknown = try deeprank(["bench", "methods", "--spec", spec, "--methods", "lbp,hgo"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.output.contains("unknown method(s) [\"hgo\"]"), unknown.output)
        XCTAssertFalse(unknown.output.contains("evaluation triplets"), unknown.output)

        let steps = try deeprank(["bench", "methods", "--spec", spec, "--oasis-steps", "0"])
        XCTAssertNotEqual(steps.status, 0)
        XCTAssertTrue(steps.output.contains("--oasis-steps must be at least 1, got 0"), steps.output)
    }
}
