import Foundation
import XCTest

/// `deeprank report` and `deeprank compare` through the built binary: outputs, exit codes,
/// and an error naming the file for bad input.
final class ReportCLITests: CLITestCase {
    func testReportAndCompare() throws {
        let directory = try makeTemporaryDirectory("ReportCLITests")
        let spec = directory.appendingPathComponent("tiny.yaml").path
        try Self.tinySpec(experiment: "cli-report", seeds: [1, 2], methods: [
            "- {name: lbp, type: handcrafted, feature: lbp}",
            "- {name: hog, type: handcrafted, feature: hog}"
        ]).write(toFile: spec, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("out").path
        let run = try deeprank(["run", spec, "--out", out, "--threads", "1"])
        XCTAssertEqual(run.status, 0, run.output)

        let report = try deeprank(["report", out])
        XCTAssertEqual(report.status, 0, report.output)
        XCTAssertTrue(report.output.contains("report: 1 table(s) from 2 run file(s)"), report.output)
        for name in ["report.md", "report.html", "report.csv", "runs.csv", "figures/cli-report-metrics.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/" + name), name)
        }
        let markdown = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains("| Method | Similarity precision (%) | Score@30 | P@1 (%) | R-Precision (%) | MAP@R (%) | "
                                        + "Recall@1 (%) | Recall@5 (%) | Recall@10 (%) | Seeds | p (precision) | p (Score@30) |"),
                      markdown)
        let elsewhere = directory.appendingPathComponent("elsewhere").path
        let again = try deeprank(["report", out + "/seed-1.h5", out + "/seed-2.h5", "--out", elsewhere, "--no-grids"])
        XCTAssertEqual(again.status, 0, again.output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: elsewhere + "/report.md"))

        let compare = try deeprank(["compare", out + "/seed-1.h5", out + "/seed-2.h5"])
        XCTAssertEqual(compare.status, 0, compare.output)
        XCTAssertTrue(compare.output.contains("A: \(out)/seed-1.h5 (experiment cli-report, seed 1)"), compare.output)
        XCTAssertTrue(compare.output.contains("Spec: same"), compare.output)
        let json = try deeprank(["compare", out + "/seed-1.h5", out + "/seed-2.h5", "--json"])
        XCTAssertEqual(json.status, 0, json.output)
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(json.output.utf8)))

        let missing = try deeprank(["report", out + "/seed-9.h5"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.output.contains("error: \(out)/seed-9.h5: no such file or directory"), missing.output)
        try "not a run".write(toFile: out + "/bad.h5", atomically: true, encoding: .utf8)
        let bad = try deeprank(["compare", out + "/seed-1.h5", out + "/bad.h5"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.output.contains("error: \(out)/bad.h5: not an HDF5 file"), bad.output)
    }
}
