import Experiments
import Foundation
import RunFile
import Storage
import TensorKit
import XCTest

/// `split.validation_fraction`: a validation part carved out of the training images, its own
/// triplets, every row scored on it apart from the test split, all of it stored, digested and
/// replayed; the test side is the same as without it.
final class ValidationSplitTests: XCTestCase {
    override func tearDown() { Parallel.configure(threads: 1) }

    static let withValidation = tinySpecText.replacingOccurrences(
        of: "split: {test_fraction: 0.34}", with: "split: {test_fraction: 0.34, validation_fraction: 0.3, validation_triplets: 8}")

    func testEveryRowIsScoredOnValidationAndTheTestSideIsUnchanged() throws {
        XCTAssertNotEqual(Self.withValidation, tinySpecText)
        let (directory, plain) = try makeTinyRunDirectory(self)
        let specPath = directory + "/validation.yaml"
        try Self.withValidation.write(toFile: specPath, atomically: true, encoding: .utf8)
        let spec = try SpecParser.load(path: specPath)
        XCTAssertEqual(spec.validationFraction, 0.3)
        XCTAssertEqual(spec.validationTriplets, 8)

        let plainRecord = try RunFileReader(path: try tinyRunner(plain, out: directory + "/plain").run()[0].path).record()
        let path = try tinyRunner(spec, out: directory + "/validation").run()[0].path
        let record = try RunFileReader(path: path).record()

        XCTAssertNil(plainRecord.validation)
        XCTAssertEqual(plainRecord.dataset.validation, [])
        XCTAssertTrue(plainRecord.rows.allSatisfy { $0.validation == nil })

        // The split: validation comes out of the plain run's training images only.
        let d = record.dataset
        XCTAssertEqual(d.validationFraction, 0.3)
        XCTAssertEqual(d.test, plainRecord.dataset.test)
        XCTAssertEqual((d.train + d.validation).sorted(), plainRecord.dataset.train)
        XCTAssertEqual(Set(d.train).intersection(d.validation), [])
        XCTAssertEqual(d.validation.count, 12, "3 categories of 12: 4 test, round(0.3 * 12) = 4 validation each")
        XCTAssertEqual(record.evaluation, plainRecord.evaluation, "the test triplets do not move")

        // The validation triplets: drawn from validation images only, as many as asked for.
        let validation = try XCTUnwrap(record.validation)
        XCTAssertEqual(validation.triplets.count, 8)
        let validationImages = Set(d.validation)
        XCTAssertTrue(validation.triplets.allSatisfy {
            validationImages.isSuperset(of: [$0.query, $0.positive, $0.negative])
        })

        // Every row has validation scores: one outcome per validation triplet, the precision
        // their mean, the retrieval metrics over the validation images.
        XCTAssertEqual(record.rows.map(\.row), plainRecord.rows.map(\.row))
        for row in record.rows {
            let scores = try XCTUnwrap(row.validation, row.row)
            XCTAssertEqual(scores.outcomes.count, 8, row.row)
            XCTAssertEqual(scores.similarityPrecision, scores.outcomes.reduce(0) { $0 + Double($1) } / 8, accuracy: 1e-12)
            XCTAssertEqual(Set(scores.metrics.keys), Set(row.metrics.keys), row.row)
        }
        // A hand-crafted row is trained on nothing, so its test scores are those of the plain run.
        XCTAssertEqual(record.rows.first { $0.row == "hog" }?.outcomes, plainRecord.rows.first { $0.row == "hog" }?.outcomes)

        // The digests cover the validation scores, and the stored ones are those of the values.
        XCTAssertEqual(try RunFileReader(path: path).digests(), record.digests)
        var changed = record
        var scores = try XCTUnwrap(changed.rows[0].validation)
        scores.outcomes[0] = 1 - scores.outcomes[0]
        changed.rows[0].validation = scores
        XCTAssertNotEqual(changed.digests.metrics, record.digests.metrics)
    }

    func testAValidationRunReplaysIdenticallyOnTwoThreadsAndATamperedScoreIsNamed() throws {
        let (directory, _) = try makeTinyRunDirectory(self)
        let specPath = directory + "/validation.yaml"
        try Self.withValidation.write(toFile: specPath, atomically: true, encoding: .utf8)
        let spec = try SpecParser.load(path: specPath)
        Parallel.configure(threads: 1)
        let path = try tinyRunner(spec, out: directory + "/out").run()[0].path
        Parallel.configure(threads: 2)
        let report = try Replay.run(path: path)
        XCTAssertTrue(report.identical, "\(String(describing: report.firstDifference))")

        let outcomes = "/methods/deep-ranking/rows/deep-ranking/validation/outcomes"
        do {
            let file = try HDF5File(updating: path)
            var (values, shape) = try file.root.read(Float.self, from: outcomes)
            values[0] = 1 - values[0]
            try file.root.write(values, shape: shape, to: outcomes, overwrite: true)
            try file.close()
        }
        let tampered = try Replay.run(path: path)
        XCTAssertFalse(tampered.identical)
        XCTAssertEqual(tampered.firstDifference?.path, outcomes)
    }
}
