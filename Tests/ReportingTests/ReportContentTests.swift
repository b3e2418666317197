import Experiments
import Foundation
import Reporting
import RunFile
import XCTest

/// `Report` on a made-up set of runs (`writeMadeUpResults`): the Markdown table in the
/// paper's format with hand-computed means, CIs and p-values, the failed method, the sweep,
/// the CSVs, and byte-identical regeneration.
final class ReportContentTests: XCTestCase {
    func makeReport() throws -> (directory: String, report: Report) {
        let directory = try makeTemporaryDirectory(self)
        try writeMadeUpResults(into: directory)
        return (directory, try Report.make(Report.Options(inputs: [directory], datasets: RunDataset.open)))
    }

    func text(_ report: Report, _ path: String) throws -> String {
        String(decoding: try XCTUnwrap(report.files.first { $0.path == path }).bytes, as: UTF8.self)
    }

    func testMarkdownTableHasThePapersFormatAndHandComputedValues() throws {
        let (_, report) = try makeReport()
        let markdown = try text(report, "report.md")
        // deep: precision 0.80, 0.82, 0.84 -> 82.0 ± t(0.975, 2)·2.0/√3 = 82.0 ± 5.0; Score@30 12, 14, 16 -> 14.0 ± 5.0.
        let table = """
            | Method | Similarity precision (%) | Score@30 | P@1 (%) | R-Precision (%) | MAP@R (%) | Recall@1 (%) | Recall@10 (%) | Seeds | p (precision) | p (Score@30) |
            |:---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
            | **deep** | 82.0 ± 5.0 | 14.0 ± 5.0 | 90.0 ± 0.0 | 51.0 ± 2.5 | 40.0 ± 0.0 | 90.0 ± 0.0 | 99.0 ± 0.0 | 3 | best | best |
            | hog | 70.0 ± 0.0 | 10.0 ± 0.0 | 80.0 ± 0.0 | 40.0 ± 0.0 | 30.0 ± 0.0 | 80.0 ± 0.0 | 95.0 ± 0.0 | 3 | < 0.001 | < 0.001 |
            | oasis | 60.0 ± 0.0 | 5.0 ± 0.0 | n/a | n/a | n/a | n/a | n/a | 2 | < 0.001 | < 0.001 |
            """
        XCTAssertTrue(markdown.contains(table), markdown)
        XCTAssertTrue(markdown.contains("- `oasis` (oasis), seed 2: NaN loss at step 3"), markdown)
        // Every row against every other: deep − hog = 82.0 − 70.0; hog − oasis = 70.0 − 60.0, paired in seeds 1 and 3 only.
        XCTAssertTrue(markdown.contains("| Row − column | deep | hog | oasis |"), markdown)
        XCTAssertTrue(markdown.contains("| deep | — | +12.0 (< 0.001) | +22.0 (< 0.001) |"), markdown)
        XCTAssertTrue(markdown.contains("| hog | -12.0 (< 0.001) | — | +10.0 (0.002) |"), markdown)
        XCTAssertTrue(markdown.contains("## Experiment `demo`"))
        XCTAssertTrue(markdown.contains("- Seeds: 1, 2, 3 (3 runs)"))
        XCTAssertTrue(markdown.contains("- Code: git commit `0123456789abcdef0123456789abcdef01234567` (clean), deeprank 0.1.0"))
        XCTAssertTrue(markdown.contains("| 2 | `demo/seed-2.h5` | 2025-01-02T10:00:00Z | 2025-01-02T10:05:00Z | 5m 00s |"), markdown)
        XCTAssertTrue(markdown.contains("- Wall time: 15m 00s for the 3 runs (each from its start to its finish"), markdown)
        XCTAssertTrue(markdown.contains("exact two-sided paired sign-flip"))
        XCTAssertTrue(markdown.contains("![Similarity precision and Score@30 per row, mean over seeds with 95% CI](figures/demo-metrics.svg)"))
        XCTAssertTrue(markdown.contains("(figures/demo-loss.svg)"))
        XCTAssertFalse(markdown.contains("generated at"))
    }

    func testSweepIsSortedByValueAndSummarised() throws {
        let (_, report) = try makeReport()
        let markdown = try text(report, "report.md")
        // deep at 0: 0.86, 0.88 -> 87.0 ± 12.706·0.01414/√2 = 87.0 ± 12.7; Score 14, 13 -> 13.5 ± 6.4.
        let sweep = """
            ### Sweep over `methods.deep.sampler.out_of_class_fraction`

            | out_of_class_fraction | Method | Similarity precision (%) | Score@30 | Seeds |
            |---:|:---|---:|---:|---:|
            | 0 | deep | 87.0 ± 12.7 | 13.5 ± 6.4 | 2 |
            | 0.2 | deep | 79.0 ± 12.7 | 18.5 ± 6.4 | 2 |
            """
        XCTAssertTrue(markdown.contains(sweep), markdown)
        let zero = try XCTUnwrap(markdown.range(of: "### `out_of_class_fraction` = 0\n"))
        let point2 = try XCTUnwrap(markdown.range(of: "### `out_of_class_fraction` = 0.2\n"))
        XCTAssertLessThan(zero.lowerBound, point2.lowerBound)
        XCTAssertTrue(markdown.contains("(figures/sweepy-sweep.svg)"))
        XCTAssertNotNil(report.files.first { $0.path == "figures/sweepy-out_of_class_fraction=0.2-metrics.svg" })
        XCTAssertEqual(report.summaries.map(\.group.title),
                       ["demo", "sweepy, out_of_class_fraction = 0", "sweepy, out_of_class_fraction = 0.2"])
    }

    func testSummaryCSVHasEveryMetricAndExactPValues() throws {
        let (_, report) = try makeReport()
        let lines = try text(report, "report.csv").split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        XCTAssertEqual(Array(header.prefix(11)), ["experiment", "sweep_key", "sweep_value", "top_k", "method", "type", "row",
                                                  "seeds", "best", "p_precision", "p_score_at_k"])
        XCTAssertEqual(Array(header.suffix(from: 11).prefix(6)), ["similarity_precision_mean", "similarity_precision_ci95",
                                                                  "similarity_precision_n", "score_at_k_mean", "score_at_k_ci95",
                                                                  "score_at_k_n"])
        XCTAssertTrue(header.contains("score_at_k_counted_mean"))
        XCTAssertTrue(header.contains("recall_at_10_n"))
        XCTAssertEqual(lines.count, 1 + 3 + 2 + 2)
        func field(_ row: [String], _ name: String) -> String { row[header.firstIndex(of: name)!] }
        let hog = try XCTUnwrap(lines.first { $0[0] == "demo" && $0[6] == "hog" })
        // hog − deep: 5 + 6 + 7 = 18 triplets of −2 half-units -> p = 2 / 2^18; Score@K: 2 + 4 + 6 = 12 of −1 -> 2 / 2^12.
        XCTAssertEqual(try XCTUnwrap(Double(field(hog, "p_precision"))), 2.0 / 262_144, accuracy: 1e-12 * 2.0 / 262_144)
        XCTAssertEqual(try XCTUnwrap(Double(field(hog, "p_score_at_k"))), 2.0 / 4096, accuracy: 1e-12 * 2.0 / 4096)
        XCTAssertEqual(field(hog, "best"), "0")
        let deep = try XCTUnwrap(lines.first { $0[0] == "demo" && $0[6] == "deep" })
        XCTAssertEqual(field(deep, "best"), "1")
        XCTAssertEqual(field(deep, "p_precision"), "")
        XCTAssertEqual(try XCTUnwrap(Double(field(deep, "similarity_precision_mean"))), 0.82, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(Double(field(deep, "similarity_precision_ci95"))),
                       4.302652729749462 * 0.02 / 3.0.squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(field(deep, "similarity_precision_n"), "3")
        let oasis = try XCTUnwrap(lines.first { $0[0] == "demo" && $0[6] == "oasis" })
        XCTAssertEqual(field(oasis, "seeds"), "2")
        XCTAssertEqual(field(oasis, "precision_at_1_mean"), "")
        let sweep = try XCTUnwrap(lines.first { $0[0] == "sweepy" && $0[2] == "0" && $0[6] == "deep" })
        XCTAssertEqual(field(sweep, "sweep_key"), "methods.deep.sampler.out_of_class_fraction")
    }

    func testRunsCSVHasOneLinePerRunAndRowAndTheFailure() throws {
        let (_, report) = try makeReport()
        let runs = try text(report, "runs.csv")
        let lines = runs.split(separator: "\n")
        XCTAssertTrue(lines[0].hasPrefix("experiment,sweep_key,sweep_value,seed,file,method,type,row,status,reason,"
                                         + "similarity_precision,score_at_k,score_at_k_counted,precision_at_1"), String(lines[0]))
        XCTAssertTrue(lines[0].hasSuffix(",training_seconds"))
        // demo: 3 + 2 + 3 rows and one failure; sweepy: 4 runs of 2 rows.
        XCTAssertEqual(lines.count, 1 + 9 + 8)
        XCTAssertTrue(runs.contains("demo,,,2,demo/seed-2.h5,oasis,oasis,,failed,NaN loss at step 3,"), runs)
        XCTAssertTrue(runs.contains("demo,,,1,demo/seed-1.h5,deep,deep-ranking,deep,complete,,0.8,12.0,12.0,0.9,"), runs)
    }

    func testRegeneratingGivesByteIdenticalFiles() throws {
        let (directory, first) = try makeReport()
        try first.write()
        let written = try first.files.map { try Data(contentsOf: URL(fileURLWithPath: directory + "/" + $0.path)) }
        XCTAssertEqual(written, first.files.map { Data($0.bytes) })
        // The report's own outputs in the folder (report.md, figures/) do not change the next one.
        let second = try Report.make(Report.Options(inputs: [directory], datasets: RunDataset.open))
        XCTAssertEqual(second.files.map(\.path), first.files.map(\.path))
        for (a, b) in zip(first.files, second.files) { XCTAssertEqual(a.bytes, b.bytes, a.path) }
        try second.write()
        for (file, before) in zip(second.files, written) {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file.path)), before, file.path)
        }
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: directory).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [], "no temporary file is left")
    }

    func testFilesAndFoldersMayBeMixedAndOutputDefaults() throws {
        let directory = try makeTemporaryDirectory(self)
        try writeMadeUpResults(into: directory)
        XCTAssertEqual(Report.defaultOutputDirectory(for: [directory + "/demo/seed-1.h5", directory + "/sweepy"]), directory + "/sweepy")
        XCTAssertEqual(Report.defaultOutputDirectory(for: [directory + "/demo/seed-1.h5"]), directory + "/demo")
        let report = try Report.make(Report.Options(inputs: [directory + "/demo/seed-1.h5", directory + "/demo"], datasets: RunDataset.open))
        XCTAssertEqual(report.summaries.map(\.group.runs.count), [3], "a file named twice is read once")
        XCTAssertEqual(report.outputDirectory, directory + "/demo")
        XCTAssertEqual(Report.relativePath(directory + "/demo/seed-1.h5", from: directory + "/sweepy"), "../demo/seed-1.h5")
    }

    func testHTMLIsOnePageWithTheTablesAndInlineFigures() throws {
        let (_, report) = try makeReport()
        let html = try text(report, "report.html")
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("<style>"))
        XCTAssertTrue(html.contains("<td><strong>deep</strong></td><td class=\"r\">82.0 ± 5.0</td>"), html)
        XCTAssertTrue(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertFalse(html.contains("<?xml"))
        XCTAssertFalse(html.contains("src=\"figures/"), "figures are inline")
        XCTAssertTrue(html.contains("<td>&lt; 0.001</td>") || html.contains("class=\"r\">&lt; 0.001</td>"))
    }
}

final class DurationFormatTests: XCTestCase {
    func testDurationsAreWrittenInHoursMinutesAndSeconds() {
        XCTAssertEqual(NumberFormat.duration(42.4), "42s")
        XCTAssertEqual(NumberFormat.duration(845), "14m 05s")
        XCTAssertEqual(NumberFormat.duration(3723), "1h 02m 03s")
        XCTAssertEqual(NumberFormat.duration(nil), "n/a")
        XCTAssertEqual(NumberFormat.duration(-1), "n/a")
    }

    func testWallSecondsComeFromTheProvenanceTimestamps() {
        var provenance = RunProvenance.current(commandLine: "test", started: Date(timeIntervalSince1970: 0),
                                               finished: Date(timeIntervalSince1970: 301))
        XCTAssertEqual(provenance.wallSeconds, 301)
        provenance.finished = "not a time"
        XCTAssertNil(provenance.wallSeconds)
    }
}
