import Experiments
import Foundation
import Reporting
import RunFile
import XCTest

/// `RunComparison` on two tiny real runs whose specs differ in one key, and on made-up
/// runs with known metric deltas.
final class CompareTests: XCTestCase {
    func testRunsThatDifferInASpecKey() throws {
        let directory = try makeTemporaryDirectory(self)
        let a = try ReportRun.load(path: try tinyRealRun(in: directory, name: "a", steps: 3))
        let b = try ReportRun.load(path: try tinyRealRun(in: directory, name: "b", steps: 4))
        let comparison = try RunComparison(a, b)
        XCTAssertEqual(comparison.specChanges, [RunComparison.Entry(name: "methods.deep-ranking.steps", a: "3", b: "4")])
        let digests = Dictionary(uniqueKeysWithValues: comparison.digests.map { ($0.name, $0.differs) })
        XCTAssertEqual(digests["dataset"], false)
        XCTAssertEqual(digests["evaluation"], false)
        XCTAssertEqual(digests["weights.hog"], false)
        XCTAssertEqual(digests["weights.deep-ranking"], true)
        XCTAssertEqual(digests["histories"], true)
        XCTAssertEqual(digests["histories.hog"], false)
        XCTAssertEqual(digests["histories.deep-ranking"], true)
        XCTAssertEqual(digests["metrics.hog"], false)
        XCTAssertEqual(comparison.provenance.map(\.name).filter { $0 != "command_line" }, [])
        XCTAssertFalse(comparison.identical)
        let text = comparison.text
        XCTAssertTrue(text.contains("Spec: 1 changed, 0 added, 0 removed\n  ~ methods.deep-ranking.steps: 3 -> 4\n"), text)
        XCTAssertTrue(text.contains("Sweep point: none"), text)
        XCTAssertTrue(text.contains("  dataset                 same     "), text)
        XCTAssertTrue(text.contains("  weights.deep-ranking    differs  "), text)
        XCTAssertTrue(text.contains("  hog           similarity_precision  "), text)
        // The same run against itself: nothing differs.
        XCTAssertTrue(try RunComparison(a, a).identical)
        XCTAssertTrue(try RunComparison(a, a).text.contains("Spec: same"))
    }

    func testMetricDeltasAddedRowsAndJSON() throws {
        let directory = try makeTemporaryDirectory(self)
        let key = "methods.deep.sampler.out_of_class_fraction"
        let a = madeUpRecord(experiment: "demo", seed: 1, rows: [madeUpRow("deep", correct: 40, score: 12)],
                             sweep: SweepPoint(key: key, label: "0.2"),
                             specText: "experiment: demo\nsplit: {test_fraction: 0.3}\nmethods:\n  - {name: deep, steps: 3}\n")
        var b = madeUpRecord(experiment: "demo", seed: 1, rows: [madeUpRow("deep", correct: 45, score: 10), madeUpRow("hog", correct: 30)],
                             sweep: SweepPoint(key: key, label: "0.4"),
                             specText: "experiment: demo\nmethods:\n  - {name: deep, steps: 3, margin: 0.5}\n  - {name: hog}\n")
        b.provenance.threads = 1
        b.provenance.gitCommit = "fedcba"
        try RunFileWriter.write(a, to: directory + "/a.h5")
        try RunFileWriter.write(b, to: directory + "/b.h5")
        let comparison = try RunComparison(try ReportRun.load(path: directory + "/a.h5"), try ReportRun.load(path: directory + "/b.h5"))
        XCTAssertEqual(comparison.specChanges, [
            RunComparison.Entry(name: "methods.deep.margin", a: nil, b: "0.5"),
            RunComparison.Entry(name: key, a: "0.2", b: "0.4"),
            RunComparison.Entry(name: "methods.hog.name", a: nil, b: "hog"),
            RunComparison.Entry(name: "split.test_fraction", a: "0.3", b: nil),
        ])
        XCTAssertEqual(comparison.sweepA, "\(key) = 0.2")
        XCTAssertEqual(comparison.sweepB, "\(key) = 0.4")
        let precision = try XCTUnwrap(comparison.metrics.first { $0.row == "deep" && $0.metric == "similarity_precision" })
        XCTAssertEqual(try XCTUnwrap(precision.delta), 0.1, accuracy: 1e-12)
        let score = try XCTUnwrap(comparison.metrics.first { $0.row == "deep" && $0.metric == "score_at_k" })
        XCTAssertEqual(score.delta, -2)
        let hog = try XCTUnwrap(comparison.metrics.first { $0.row == "hog" })
        XCTAssertNil(hog.a)
        XCTAssertNil(hog.delta)
        XCTAssertEqual(comparison.provenance.map(\.name), ["git_commit", "threads"])
        let text = comparison.text
        XCTAssertTrue(text.contains("  + methods.deep.margin: 0.5"), text)
        XCTAssertTrue(text.contains("  - split.test_fraction: 0.3"), text)
        XCTAssertTrue(text.contains("Sweep point: \(key) = 0.2 -> \(key) = 0.4"), text)
        XCTAssertTrue(text.contains("  ~ threads: 2 -> 1"), text)
        XCTAssertTrue(text.contains("0.800000 -> 0.900000  (+0.100000)"), text)
        let json = try JSONSerialization.jsonObject(with: Data(try comparison.json().utf8)) as? [String: Any]
        XCTAssertEqual((json?["a"] as? [String: Any])?["sweep"] as? String, "\(key) = 0.2")
        XCTAssertEqual((json?["specChanges"] as? [Any])?.count, 4)
        XCTAssertNotNil(json?["digests"] as? [[String: Any]])
    }
}
