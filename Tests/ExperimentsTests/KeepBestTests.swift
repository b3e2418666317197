import Experiments
import Foundation
import RunFile
import TensorKit
import XCTest

/// `keep_best`: network methods checked on the validation split during training keep the
/// parameters of their best check; the same bits with 1 or 2 threads and after an
/// interruption at any checkpoint; a spec without a validation split may not ask for it.
final class KeepBestTests: XCTestCase {
    override func tearDown() { Parallel.configure(threads: 1) }

    static let text = """
        experiment: keep-best
        seeds: [3]
        dataset: {kind: synthetic, categories: 3, images_per_category: 12, image_size: 32}
        split: {test_fraction: 0.34, validation_fraction: 0.3, validation_triplets: 16}
        input: {size: 32, max_shift: 2}
        evaluation: {triplets: 16, relevance_gap: 0.1}
        methods:
          - {name: deep, type: deep-ranking, network: {preset: tiny, input_size: 32}, steps: 9, batch_size: 4,
             learning_rate: 0.5, keep_best: {every: 2}}
          - {name: classifier, type: classifier, network: {preset: tiny, input_size: 32}, steps: 4, batch_size: 6,
             keep_best: {every: 3}}

        """

    func load(_ text: String) throws -> (directory: String, spec: ExperimentSpec) {
        try loadSpec(text, folderPrefix: "KeepBestTests")
    }

    func testTheKeptWeightsAreThoseOfTheBestValidationCheck() throws {
        let (directory, spec) = try load(Self.text)
        let path = try SpecRunner(spec: spec, outputDirectory: directory + "/out", commandLine: "test", log: { _ in }).run()[0].path
        let record = try RunFileReader(path: path).record()

        let deep = try XCTUnwrap(record.methods.first { $0.name == "deep" })
        XCTAssertEqual(deep.history["validation_step"], [2, 4, 6, 8, 9], "every 2 steps and after the last")
        let checks = try XCTUnwrap(deep.history["validation_precision"])
        XCTAssertEqual(checks.count, 5)
        XCTAssertNotEqual(checks.min(), checks.max(), "the checks must differ for the choice to show")
        // The kept weights score, on the validation triplets, the best check's precision: the
        // run's own validation scoring of the finished row reproduces it.
        let row = try XCTUnwrap(record.rows.first { $0.row == "deep" }?.validation)
        XCTAssertEqual(Float(row.similarityPrecision), checks.max())

        let classifier = try XCTUnwrap(record.methods.first { $0.name == "classifier" })
        XCTAssertEqual(classifier.history["validation_step"], [3, 4])
        let penultimate = try XCTUnwrap(record.rows.first { $0.row == "classifier-penultimate" }?.validation)
        XCTAssertEqual(Float(penultimate.similarityPrecision), classifier.history["validation_precision"]?.max())

        // Without keep_best the same spec keeps the last weights: another weights digest
        // unless the last check was the best.
        let last = try load(Self.text.replacingOccurrences(of: ", keep_best: {every: 2}", with: ""))
        let lastRecord = try RunFileReader(path: try SpecRunner(spec: last.spec, outputDirectory: last.directory + "/out",
                                                                commandLine: "test", log: { _ in }).run()[0].path).record()
        let lastDeep = try XCTUnwrap(lastRecord.methods.first { $0.name == "deep" })
        XCTAssertNil(lastDeep.history["validation_precision"])
        let lastIsBest = checks.last == checks.max() && checks.firstIndex(of: checks.max()!) == checks.count - 1
        XCTAssertEqual(lastRecord.digests.methodWeights["deep"] == record.digests.methodWeights["deep"], lastIsBest,
                       "checks \(checks)")
        XCTAssertEqual(lastDeep.history["loss"], deep.history["loss"], "checking does not change training")
    }

    func testBitIdenticalWithOneOrTwoThreadsAndAfterAnyInterruption() throws {
        let (directory, spec) = try load(Self.text)
        Parallel.configure(threads: 1)
        let expected = try runDigests(spec, out: directory + "/one")
        Parallel.configure(threads: 2)
        XCTAssertEqual(try runDigests(spec, out: directory + "/two"), expected, "1 and 2 threads")
        try assertResumesIdentically(spec, in: directory, interval: 3, expected: expected, minimumCheckpoints: 3)
    }

    func testKeepBestNeedsAValidationSplit() throws {
        let text = Self.text.replacingOccurrences(of: ", validation_fraction: 0.3, validation_triplets: 16", with: "")
        XCTAssertThrowsError(try load(text)) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains("methods[0].keep_best"), message)
            XCTAssertTrue(message.contains("keep_best chooses on the validation split, but the spec has none"), message)
        }
    }
}
