import Experiments
import Foundation
import XCTest

/// A tiny spec: synthetic data (3 categories of 12 images, 32 x 32), 16 evaluation
/// triplets, a hand-crafted feature, OASIS on it, and a tiny ranking network (3 steps).
let tinySpecText = """
    experiment: tiny-run
    seeds: [5]
    dataset: {kind: synthetic, categories: 3, images_per_category: 12, image_size: 32}
    split: {test_fraction: 0.34}
    input: {size: 32, max_shift: 2}
    evaluation: {triplets: 16, relevance_gap: 0.1}
    methods:
      - {name: hog, type: handcrafted, feature: hog}
      - {name: oasis-hog, type: oasis, base: hog, steps: 30}
      - {name: deep-ranking, type: deep-ranking, network: {preset: tiny, input_size: 32}, steps: 3, batch_size: 4}

    """

/// A temporary directory holding `tiny.yaml` (the tiny spec), removed when the test ends.
func makeTinyRunDirectory(_ test: XCTestCase) throws -> (directory: String, spec: ExperimentSpec) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("RunFileTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    let specPath = url.path + "/tiny.yaml"
    try tinySpecText.write(toFile: specPath, atomically: true, encoding: .utf8)
    return (url.path, try SpecParser.load(path: specPath))
}

/// A quiet runner writing into `out`.
func tinyRunner(_ spec: ExperimentSpec, out: String, overwrite: Bool = false) -> SpecRunner {
    SpecRunner(spec: spec, outputDirectory: out, overwrite: overwrite, commandLine: "deeprank run tiny.yaml", log: { _ in })
}
