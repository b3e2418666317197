import DatasetKit
import Experiments
import Foundation
import Methods
import RunFile
import XCTest

/// A fresh folder under the system temporary folder, removed when the test ends.
func makeTemporaryDirectory(_ test: XCTestCase) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ReportingTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url.path
}

/// A made-up row: `correct` of the `triplets` evaluation triplets right (the first ones),
/// the rest wrong; Score@K contributions +1 for the first `score` triplets, 0 after.
func madeUpRow(_ name: String, method: String? = nil, correct: Int, triplets: Int = 50, score: Int? = nil,
               metrics: [String: Double] = [:]) -> RowRecord {
    let outcomes = (0..<triplets).map { $0 < correct ? Float(1) : 0 }
    let contributions = score.map { s in (0..<triplets).map { $0 < s ? Float(1) : 0 } } ?? []
    var all = metrics
    if let score { all["score_at_k"] = Double(score); all["score_at_k_counted"] = Double(score) }
    return RowRecord(method: method ?? name, row: name, similarityPrecision: Double(correct) / Double(triplets),
                     outcomes: outcomes, trainingSeconds: 1.5, metrics: all, scoreContributions: contributions)
}

/// A made-up run: 30 images in 3 categories, 50 evaluation triplets, the given rows and
/// methods (a method without rows may carry a failure), fixed provenance.
func madeUpRecord(experiment: String, seed: UInt64, rows: [RowRecord], methods: [MethodRecord]? = nil,
                  sweep: SweepPoint? = nil, specText: String? = nil, topK: Int = 30) -> RunRecord {
    let categories = (0..<30).map { $0 / 10 }
    let dataset = DatasetRecord(kind: "synthetic", categoryNames: ["circle", "star", "cross"], categories: categories,
                                identifiers: (0..<30).map { "shape/\($0)" }, testFraction: 0.3,
                                train: (0..<30).filter { $0 % 10 >= 3 }, test: (0..<30).filter { $0 % 10 < 3 })
    let triplets = (0..<rows.first.map { $0.outcomes.count }!).map { i in
        Triplet(query: (i * 7) % 30, positive: (i * 7 + 1) % 30, negative: (i * 7 + 2) % 30)
    }
    let methodRecords = methods ?? rows.map { row in
        MethodRecord(name: row.method, type: "handcrafted", weights: [],
                     history: ["loss": (0..<40).map { (step: Int) -> Float in 1 / Float(step + 1) }])
    }
    let provenance = RunProvenance(
        gitCommit: "0123456789abcdef0123456789abcdef01234567", gitDirty: 0, swiftVersion: "compiler 6.3, language mode 5",
        blas: "OpenBLAS test", blasCore: "Haswell", threads: 2, cpuModel: "Test CPU", commandLine: "deeprank run demo.yaml",
        hostname: "test-host", os: "Linux", started: "2025-01-0\(seed)T10:00:00Z", finished: "2025-01-0\(seed)T10:05:00Z",
        deeprankVersion: "0.1.0")
    let spec = specText ?? "experiment: \(experiment)\nseeds: [1, 2, 3]\ndataset: {kind: synthetic}\nmethods:\n"
        + methodRecords.map { "  - {name: \($0.name), type: \($0.type), steps: 3}\n" }.joined()
    return RunRecord(status: .complete, experiment: experiment, seed: seed, specPath: "Experiments/\(experiment).yaml",
                     specText: spec, provenance: provenance, dataset: dataset,
                     evaluation: EvaluationRecord(triplets: triplets, source: "generated", digest: "evaluation-digest-\(seed)",
                                                  topK: topK, gridQueries: []),
                     methods: methodRecords, rows: rows, sweepPoint: sweep)
}

/// The made-up experiment set: `demo` (3 seeds; rows deep, hog and oasis; oasis fails in
/// seed 2) and `sweepy` (a sweep over out_of_class_fraction = 0.2 and 0, 2 seeds each),
/// written as `deeprank run` lays them out under `directory`.
///
/// demo: deep has 40, 41, 42 of 50 right (0.80, 0.82, 0.84) and Score@K 12, 14, 16; hog 35
/// (0.70) and 10; oasis 30 and 30 (0.60), 5 in seeds 1 and 3.
func writeMadeUpResults(into directory: String) throws {
    for folder in ["demo", "sweepy/out_of_class_fraction=0.2", "sweepy/out_of_class_fraction=0"] {
        try FileManager.default.createDirectory(atPath: "\(directory)/\(folder)", withIntermediateDirectories: true)
    }
    for (i, seed) in [UInt64(1), 2, 3].enumerated() {
        var rows = [madeUpRow("deep", correct: 40 + i, score: 12 + 2 * i,
                              metrics: ["precision_at_1": 0.9, "r_precision": 0.5 + 0.01 * Double(i), "map_at_r": 0.4,
                                        "recall_at_1": 0.9, "recall_at_10": 0.99]),
                    madeUpRow("hog", correct: 35, score: 10,
                              metrics: ["precision_at_1": 0.8, "r_precision": 0.4, "map_at_r": 0.3, "recall_at_1": 0.8,
                                        "recall_at_10": 0.95])]
        var methods = rows.map { MethodRecord(name: $0.method, type: $0.method == "deep" ? "deep-ranking" : "handcrafted",
                                              weights: [], history: ["loss": (0..<40).map { 2 / Float($0 + 1) }]) }
        if seed == 2 {
            methods.append(MethodRecord(name: "oasis", type: "oasis", weights: [], history: [:], failure: "NaN loss at step 3"))
        } else {
            rows.append(madeUpRow("oasis", correct: 30, score: 5))
            methods.append(MethodRecord(name: "oasis", type: "oasis", weights: [], history: ["loss": [0.5, 0.4, 0.3]]))
        }
        try RunFileWriter.write(madeUpRecord(experiment: "demo", seed: seed, rows: rows, methods: methods),
                                to: "\(directory)/demo/seed-\(seed).h5")
    }
    let key = "methods.deep.sampler.out_of_class_fraction"
    for (v, value) in ["0.2", "0"].enumerated() {
        for seed in [UInt64(1), 2] {
            let rows = [madeUpRow("deep", correct: 38 + v * 4 + Int(seed), score: 20 - v * 5 - Int(seed)),
                        madeUpRow("hog", correct: 35, score: 10)]
            try RunFileWriter.write(madeUpRecord(experiment: "sweepy", seed: seed, rows: rows,
                                                 sweep: SweepPoint(key: key, label: value)),
                                    to: "\(directory)/sweepy/out_of_class_fraction=\(value)/seed-\(seed).h5")
        }
    }
}

/// A tiny real spec (synthetic data, 3 categories of 12 images of 32 x 32, a hand-crafted
/// feature and a 3-step ranking network); `steps` sets the network's steps.
func tinySpecText(steps: Int = 3) -> String {
    """
    experiment: tiny-report
    seeds: [5]
    dataset: {kind: synthetic, categories: 3, images_per_category: 12, image_size: 32}
    split: {test_fraction: 0.34}
    input: {size: 32, max_shift: 2}
    evaluation: {triplets: 16, relevance_gap: 0.1}
    methods:
      - {name: hog, type: handcrafted, feature: hog}
      - {name: deep-ranking, type: deep-ranking, network: {preset: tiny, input_size: 32}, steps: \(steps), batch_size: 4}

    """
}

/// Runs the tiny spec into `<directory>/<name>/seed-5.h5` and, since the runner does not
/// store neighbours yet, gives the run grid queries (the first three test images) and
/// neighbours (the other test images in index order) before writing it again.
func tinyRealRun(in directory: String, name: String = "run", steps: Int = 3) throws -> String {
    let specPath = "\(directory)/\(name).yaml"
    try tinySpecText(steps: steps).write(toFile: specPath, atomically: true, encoding: .utf8)
    let spec = try SpecParser.load(path: specPath)
    let out = "\(directory)/\(name)"
    let outcome = try SpecRunner(spec: spec, outputDirectory: out, commandLine: "test", log: { _ in }).run()[0]
    var record = try RunFileReader(path: outcome.path).record()
    let test = record.dataset.test
    record.evaluation.gridQueries = Array(test.prefix(3))
    for r in record.rows.indices {
        record.rows[r].neighbours = record.evaluation.gridQueries.map { q in
            Array(test.filter { $0 != q }.prefix(5))
        }
    }
    try RunFileWriter.write(record, to: outcome.path)
    return outcome.path
}

/// Asserts that `body` throws an error whose description contains every fragment.
func assertThrows<T>(_ body: @autoclosure () throws -> T, containing fragments: [String],
                     file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected an error containing \(fragments)", file: file, line: line)
    } catch {
        let message = String(describing: error)
        for fragment in fragments {
            XCTAssertTrue(message.contains(fragment), "\"\(message)\" lacks \"\(fragment)\"", file: file, line: line)
        }
    }
}
