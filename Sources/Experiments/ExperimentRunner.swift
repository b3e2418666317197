import DatasetKit
import Evaluation
import Foundation
import Methods
import TensorKit

/// One row of the comparison table: a method's ranking measured on the shared
/// evaluation triplets.
public struct MethodResult: Sendable {
    public var method: String
    public var row: String
    public var similarityPrecision: Double
    /// Per-triplet outcome (1, 0.5 for a tie, 0), for paired tests between rows.
    public var outcomes: [Float]
    public var trainingSeconds: Double
    /// `RowRecord.metrics`: Score-at-top-K and the retrieval metrics by stored name.
    public var metrics: [String: Double] = [:]
    /// Per evaluation triplet: +1, -1 or 0, its share of Score-at-top-K.
    public var scoreContributions: [Float] = []
    /// Nearest test images of each grid query, best first.
    public var neighbours: [[Int]] = []
}

/// What a run produced.
public struct ExperimentResult {
    public var plan: String
    public var seed: UInt64
    public var datasetCount: Int
    /// The data set the run used (for run files: identifiers, categories, digest).
    public var dataset: any ImageDataset
    public var split: DatasetSplit
    public var evaluationTriplets: EvaluationTripletSet
    /// The K of Score-at-top-K.
    public var topK: Int = 30
    /// Test images whose neighbours every row records (retrieval grids).
    public var gridQueries: [Int] = []
    public var rows: [MethodResult]
    public var histories: [String: [String: [Float]]]
    public var learned: [String: [NamedArray]]
    /// Methods that stopped with a `MethodError` (e.g. a NaN loss): name -> reason. They
    /// have no rows; the other methods ran as usual.
    public var failures: [String: String] = [:]
}

/// Runs a plan: opens the data, splits it (stream `split/<category>`), builds the
/// evaluation triplets once (stream `evaluation-triplets`), then trains every method on
/// the training split from its own stream family (`RandomStreams.child(<method name>)`) and
/// scores each of its rows on the same triplets.
public struct ExperimentRunner {
    public var log: (String) -> Void
    /// Per training step (see `TrainingProgress`).
    public var progress: (TrainingProgress) -> Void

    public init(log: @escaping (String) -> Void = { print($0) }, progress: @escaping (TrainingProgress) -> Void = { _ in }) {
        self.log = log
        self.progress = progress
    }

    public func run(_ plan: ExperimentPlan) throws -> ExperimentResult {
        let streams = RandomStreams(seed: plan.seed)
        let dataset = try plan.dataset.open(streams: streams)
        let split = DatasetSplit(dataset: dataset, testFraction: plan.testFraction, streams: streams)
        let evaluation = try EvaluationTripletBuilder.build(
            dataset: dataset, testIndices: split.test, parameters: plan.evaluation,
            stream: streams.stream(EvaluationTripletBuilder.streamName))
        log("\(plan.name) seed \(plan.seed): \(dataset.count) images in \(dataset.categoryNames.count) categories, "
            + "\(split.train.count) for training, \(evaluation.triplets.count) evaluation triplets (\(evaluation.digest.prefix(12)))")
        let evaluated = Array(Set(evaluation.triplets.flatMap { [$0.query, $0.positive, $0.negative] })).sorted()
        var rows: [MethodResult] = []
        var histories: [String: [String: [Float]]] = [:]
        var learned: [String: [NamedArray]] = [:]
        var failures: [String: String] = [:]
        for method in plan.methods {
            let context = MethodContext(dataset: dataset, split: split, streams: streams.child(method.name),
                                        augmentation: plan.augmentation, log: log, progress: progress)
            let start = Date()
            do {
                try method.train(context)
                let seconds = Date().timeIntervalSince(start)
                for (row, ranker) in try method.rankers(for: evaluated, context: context) {
                    let outcomes = SimilarityPrecision.outcomes(ranker, triplets: evaluation.triplets)
                    let precision = SimilarityPrecision.precision(outcomes: outcomes)
                    log(String(format: "%@: similarity precision %.2f%% (trained in %.1f s)", row, 100 * precision, seconds))
                    rows.append(MethodResult(method: method.name, row: row, similarityPrecision: precision,
                                             outcomes: outcomes, trainingSeconds: seconds))
                }
            } catch let error as MethodError {
                // One method failing (a NaN loss, ...) does not stop the others (issue 5, item 7).
                log("\(method.name): FAILED: \(error)")
                failures[method.name] = error.description
            }
            histories[method.name] = method.history
            learned[method.name] = method.learnedArrays
        }
        return ExperimentResult(plan: plan.name, seed: plan.seed, datasetCount: dataset.count, dataset: dataset, split: split,
                                evaluationTriplets: evaluation, rows: rows, histories: histories, learned: learned,
                                failures: failures)
    }
}
