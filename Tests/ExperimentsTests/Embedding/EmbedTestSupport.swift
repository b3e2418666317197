import DatasetKit
import Evaluation
import Experiments
import Foundation
import Imaging
import Methods
import RunFile
import TensorKit
import XCTest

/// A trained run on an image folder, kept in memory and written as a run file, so a test can
/// compare what `StoredModel` rebuilds from the file with the methods the run trained.
///
/// The folder is `root/<category>/<image>`: cats and dogs hold 6 generated PNGs each
/// (written with `ImageCodec.encodePNG`), owls 4 PNGs and 2 committed JPEG fixtures. The spec
/// has every kind of row: a hand-crafted feature, OASIS on it, the tiny ranking network, the
/// classifier (two rows) and golden features (a custom distance).
final class EmbedRun {
    let directory: String
    let root: String
    let runFile: String
    let plan: ExperimentPlan
    let result: ExperimentResult

    static let specText = """
        experiment: embed-tiny
        seeds: [3]
        dataset: {kind: image-folder, root: images}
        split: {test_fraction: 0.34}
        input: {size: 32, max_shift: 2}
        evaluation: {triplets: 12, relevance_gap: 0.5, out_of_class_share: 1}
        methods:
          - {name: hog, type: handcrafted, feature: hog}
          - {name: oasis-hog, type: oasis, base: hog, steps: 30}
          - {name: deep-ranking, type: deep-ranking, network: {preset: tiny, input_size: 32}, steps: 3, batch_size: 4}
          - {name: classifier, type: classifier, network: {preset: tiny, input_size: 32}, steps: 3, batch_size: 4}
          - {name: golden, type: golden, features: [hog, lbp]}

        """

    /// The rows of the run, in table order.
    static let rows = ["hog", "oasis-hog", "deep-ranking", "classifier-probabilities", "classifier-penultimate", "golden"]

    init(_ test: XCTestCase) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("EmbedTests-\(UUID().uuidString)").path
        root = directory + "/images"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let directory = self.directory
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: directory) }
        for (c, category) in ["cats", "dogs", "owls"].enumerated() {
            for j in 0..<(category == "owls" ? 4 : 6) {
                try Self.writePattern(root + "/\(category)/\(j).png", category: c, image: j, width: 20 + j, height: 24)
            }
        }
        for fixture in ["baseline_rgb.jpg", "progressive_rgb.jpg"] {
            try FileManager.default.copyItem(atPath: EmbedFixtures.images + "/" + fixture, toPath: root + "/owls/" + fixture)
        }
        let specPath = directory + "/embed.yaml"
        try Self.specText.write(toFile: specPath, atomically: true, encoding: .utf8)
        let spec = try SpecParser.load(path: specPath)
        plan = try spec.plan(seed: 3)
        result = try ExperimentRunner(log: { _ in }).run(plan)
        XCTAssertTrue(result.failures.isEmpty, "\(result.failures)")
        runFile = directory + "/seed-3.h5"
        let record = RunRecord(spec: spec, result: result, dataset: result.dataset,
                               provenance: .current(commandLine: "EmbedTests", started: Date()))
        try RunFileWriter.write(record, to: runFile)
    }

    /// A PNG whose pixels follow a per-category, per-image formula.
    static func writePattern(_ path: String, category c: Int, image j: Int, width: Int, height: Int) throws {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                pixels += [UInt8((x * 11 + j * 7 + c * 80) % 256), UInt8((y * 13 + j * 5 + c * 30) % 256),
                           UInt8((x * y + c * 40 + j * 3) % 256)]
            }
        }
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try ImageCodec.writePNG(Image(width: width, height: height, channels: 3, pixels: pixels), to: url)
    }

    /// The ranker of `row` from the trained method in memory, over the run's images `indices`.
    func inRunRanker(_ row: String, indices: [Int]) throws -> Ranker {
        for method in plan.methods {
            let context = MethodContext(dataset: result.dataset, split: result.split,
                                        streams: RandomStreams(seed: plan.seed).child(method.name),
                                        augmentation: plan.augmentation)
            for (name, ranker) in try method.rankers(for: indices, context: context) where name == row {
                return ranker
            }
        }
        throw NSError(domain: "a missing prerequisite fails the test (it is never skipped)", code: 1, userInfo: [NSLocalizedDescriptionKey: "no row \\(row)"])
    }
}

enum EmbedFixtures {
    /// `Tests/Fixtures/images`, found from this source file.
    static let images = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Embedding
        .deletingLastPathComponent()  // ExperimentsTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures/images").path
}
