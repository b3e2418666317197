import DatasetKit
import Foundation
import Reporting
import RunFile
import XCTest

/// Reports of runs with a validation split: the validation column, the best row (the
/// reference of every p-value) chosen on validation even where the test split would choose
/// another, a sweep's value chosen on validation, and the CSV columns that say so.
final class ValidationReportTests: XCTestCase {
    /// `correct` of 20 validation triplets right.
    func validated(_ row: RowRecord, correct: Int) -> RowRecord {
        var row = row
        let outcomes = (0..<20).map { $0 < correct ? Float(1) : 0 }
        row.validation = ValidationScores(similarityPrecision: Double(correct) / 20, outcomes: outcomes,
                                          metrics: ["score_at_k": Double(correct)])
        return row
    }

    func validatedRecord(seed: UInt64, rows: [RowRecord], sweep: SweepPoint? = nil) -> RunRecord {
        var record = madeUpRecord(experiment: "valid", seed: seed, rows: rows, sweep: sweep)
        record.dataset.validationFraction = 0.1
        record.dataset.validation = [3, 13, 23]
        record.dataset.train.removeAll { [3, 13, 23].contains($0) }
        record.validation = EvaluationRecord(
            triplets: (0..<20).map { Triplet(query: [3, 13, 23][$0 % 3], positive: 4, negative: 5) },
            source: "generated", digest: "validation-digest-\(seed)", topK: 30)
        return record
    }

    func report(_ records: [RunRecord]) throws -> (markdown: String, csv: String, runs: String) {
        let directory = try makeTemporaryDirectory(self)
        for record in records {
            let folder = directory + "/valid" + (record.sweepPoint.map { "/" + $0.folderName } ?? "")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try RunFileWriter.write(record, to: "\(folder)/seed-\(record.seed).h5")
        }
        let report = try Report.make(Report.Options(inputs: [directory], datasets: nil))
        func text(_ path: String) throws -> String {
            String(decoding: try XCTUnwrap(report.files.first { $0.path == path }).bytes, as: UTF8.self)
        }
        return (try text("report.md"), try text("report.csv"), try text("runs.csv"))
    }

    func testTheBestRowIsChosenOnValidationNotOnTest() throws {
        // Test: test-best 40/50, other 35/50; validation: test-best 12/20, other 14/20.
        let records = [UInt64(1), 2, 3].map { seed in
            validatedRecord(seed: seed, rows: [validated(madeUpRow("test-best", correct: 40, score: 10), correct: 12),
                                               validated(madeUpRow("other", correct: 35, score: 8), correct: 14)])
        }
        let (markdown, csv, runs) = try report(records)
        let table = """
            | Method | Validation similarity precision (%) | Similarity precision (%) | Score@30 | Seeds | p (precision) | p (Score@30) |
            |:---|---:|---:|---:|---:|---:|---:|
            | test-best | 60.0 ± 0.0 | 80.0 ± 0.0 | 10.0 ± 0.0 | 3 | < 0.001 | 0.031 |
            | **other** | 70.0 ± 0.0 | 70.0 ± 0.0 | 8.0 ± 0.0 | 3 | best | best |
            """
        XCTAssertTrue(markdown.contains(table), markdown)
        XCTAssertTrue(markdown.contains("**Validation.**"), markdown)
        XCTAssertTrue(markdown.contains("- Validation: 20 triplets from 3 images; best row chosen on the validation split"), markdown)
        XCTAssertTrue(markdown.contains("test fraction 0.3, validation fraction 0.1,"), markdown)

        let header = try XCTUnwrap(csv.split(separator: "\n").first).split(separator: ",").map(String.init)
        XCTAssertTrue(header.contains("best_chosen_on"))
        XCTAssertTrue(header.contains("validation_similarity_precision_mean"))
        let other = try XCTUnwrap(csv.split(separator: "\n").first { $0.contains(",other,") }).split(separator: ",",
                                                                                                     omittingEmptySubsequences: false)
        XCTAssertEqual(other[header.firstIndex(of: "best")!], "1")
        XCTAssertEqual(other[header.firstIndex(of: "best_chosen_on")!], "validation")
        XCTAssertEqual(Double(other[header.firstIndex(of: "validation_similarity_precision_mean")!]) ?? 0, 0.7, accuracy: 1e-12)
        XCTAssertTrue(runs.split(separator: "\n").first?.hasSuffix(",validation_similarity_precision,validation_score_at_k") ?? false,
                      runs)
    }

    func testWithoutValidationTheTestSplitChoosesAndNothingAboutValidationIsShown() throws {
        var records = [UInt64(1), 2].map { seed in
            madeUpRecord(experiment: "valid", seed: seed, rows: [madeUpRow("test-best", correct: 40, score: 10),
                                                                 madeUpRow("other", correct: 35, score: 8)])
        }
        // One row validated in one seed only is not enough to choose on validation.
        records[0].rows[1] = validated(records[0].rows[1], correct: 19)
        let (markdown, _, _) = try report(records)
        XCTAssertTrue(markdown.contains("| **test-best** |"), markdown)
        XCTAssertFalse(markdown.contains("best row chosen on the validation split"), markdown)
    }

    func testASweepValueIsChosenOnValidation() throws {
        let key = "methods.deep.margin"
        var records: [RunRecord] = []
        // margin 0.1: test 45/50, validation 10/20; margin 0.5: test 40/50, validation 15/20.
        for (label, test, validation) in [("0.1", 45, 10), ("0.5", 40, 15)] {
            for seed in [UInt64(1), 2] {
                records.append(validatedRecord(seed: seed, rows: [validated(madeUpRow("deep", correct: test), correct: validation)],
                                               sweep: SweepPoint(key: key, label: label)))
            }
        }
        let (markdown, _, _) = try report(records)
        XCTAssertTrue(markdown.contains("| margin | Method | Validation similarity precision (%) | Similarity precision (%) | Seeds |"),
                      markdown)
        XCTAssertTrue(markdown.contains("- `deep`: margin = 0.5 chosen on validation (validation 75.0 ± 0.0 %, test 80.0 ± 0.0 %)"),
                      markdown)
    }
}
