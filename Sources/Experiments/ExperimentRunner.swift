import DatasetKit
import Evaluation
import Foundation
import Methods
import RunFile
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
    /// The methods finished so far (completed or failed), in plan order; all of them once
    /// the run is complete.
    public var finished: [String] = []
}

/// Runs a plan: opens the data, splits it (stream `split/<category>`), builds the
/// evaluation triplets once (stream `evaluation-triplets`), then trains every method on
/// the training split from its own stream family (`RandomStreams.child(<method name>)`) and
/// scores each of its rows on the same triplets.
///
/// With `checkpointing`, every training loop hands its state over every `interval` steps and
/// every finished method is handed over whole (`RunCheckpointing.save`, which writes a
/// `running` run file); a run given the checkpoint of an interrupted one restores its
/// finished methods, continues the loop that was training, and ends with the same bits.
public struct ExperimentRunner {
    public var log: (String) -> Void
    /// Per training step (see `TrainingProgress`).
    public var progress: (TrainingProgress) -> Void
    public var checkpointing: RunCheckpointing?

    public init(log: @escaping (String) -> Void = { print($0) }, progress: @escaping (TrainingProgress) -> Void = { _ in },
                checkpointing: RunCheckpointing? = nil) {
        self.log = log
        self.progress = progress
        self.checkpointing = checkpointing
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
        // Every test image is ranked (Score@K and the retrieval metrics use them all), plus any
        // triplet image outside the test split (provided triplets used as given).
        let evaluated = Array(Set(split.test + evaluation.triplets.flatMap { [$0.query, $0.positive, $0.negative] })).sorted()
        let categories = (0..<dataset.count).map(dataset.category(of:))
        let gridQueries = Self.gridQueries(test: split.test, count: plan.metrics.gridQueries,
                                           stream: streams.stream(Self.gridQueryStream))
        var result = ExperimentResult(plan: plan.name, seed: plan.seed, datasetCount: dataset.count, dataset: dataset,
                                      split: split, evaluationTriplets: evaluation, topK: plan.metrics.topK,
                                      gridQueries: gridQueries, rows: [], histories: [:], learned: [:])
        let resume = checkpointing?.resume
        if let resume {
            guard resume.evaluationDigest == evaluation.digest else {
                throw RunFileError.cannotResume(file: checkpointing?.file ?? "", reason: "the evaluation triplets differ "
                    + "(\(resume.evaluationDigest.prefix(12)) stored, \(evaluation.digest.prefix(12)) now)")
            }
        }
        // The last state each loop handed over (or was resumed from), kept for a method that
        // then fails: an interrupted run keeps the same weights as an uninterrupted one.
        var lastStates: [String: TrainingState] = [:]
        if let state = resume?.training { lastStates[state.loop] = state }
        for method in plan.methods {
            var trainingCheckpoints = TrainingCheckpoints.none
            if let checkpointing {
                let snapshot = result
                trainingCheckpoints = TrainingCheckpoints(interval: checkpointing.interval, save: { state in
                    lastStates[state.loop] = state
                    try checkpointing.save(snapshot, state)
                }, resume: { loop in resume?.training?.loop == loop ? resume?.training : nil })
            }
            let context = MethodContext(dataset: dataset, split: split, streams: streams.child(method.name),
                                        augmentation: plan.augmentation, log: log, progress: progress,
                                        checkpoints: trainingCheckpoints)
            if let done = resume?.finished[method.name] {
                try restore(method, from: done, context: context, into: &result)
                continue
            }
            let start = Date()
            let earlier = resume?.training.map { $0.loop == method.name ? $0.seconds : 0 } ?? 0
            do {
                try method.train(context)
                let seconds = earlier + Date().timeIntervalSince(start)
                for (row, ranker) in try method.rankers(for: evaluated, context: context) {
                    let m = RowEvaluation.evaluate(ranker, triplets: evaluation.triplets, categoryOf: categories,
                                                   candidates: split.test, topK: plan.metrics.topK,
                                                   recallKs: plan.metrics.recallAt)
                    let neighbours = RowEvaluation.neighbours(ranker, queries: gridQueries, candidates: split.test,
                                                              k: max(0, min(plan.metrics.gridNeighbours, split.test.count - 1)))
                    log(String(format: "%@: similarity precision %.2f%%, Score@%d %d, MAP@R %.3f (trained in %.1f s)",
                               row, 100 * m.similarityPrecision, m.topK, m.scoreAtK, m.mapAtR, seconds))
                    result.rows.append(MethodResult(method: method.name, row: row, similarityPrecision: m.similarityPrecision,
                                                    outcomes: m.outcomes, trainingSeconds: seconds, metrics: m.scalars,
                                                    scoreContributions: m.scoreContributions, neighbours: neighbours))
                }
                result.learned[method.name] = method.learnedArrays
            } catch let error as MethodError {
                // One method failing (a NaN loss, ...) does not stop the others (issue 5, item 7);
                // it keeps the weights of its last good checkpoint, if it saved one.
                var reason = error.description
                if let last = lastStates[method.name] {
                    result.learned[method.name] = last.parameters
                    reason += "; weights are those of the last good checkpoint (step \(last.step))"
                } else {
                    result.learned[method.name] = []
                }
                log("\(method.name): FAILED: \(reason)")
                result.failures[method.name] = reason
            }
            result.histories[method.name] = method.history
            result.finished.append(method.name)
            if let checkpointing, checkpointing.interval > 0, method.name != plan.methods.last?.name {
                try checkpointing.save(result, nil)
            }
        }
        return result
    }

    /// The stream the retrieval-grid queries are drawn from.
    static let gridQueryStream = "grid-queries"

    /// `count` distinct test images in draw order (all of them when there are fewer).
    static func gridQueries(test: [Int], count: Int, stream: RandomStream) -> [Int] {
        var stream = stream
        var pool = test
        var drawn: [Int] = []
        while drawn.count < count && !pool.isEmpty {
            drawn.append(pool.remove(at: stream.nextInt(below: pool.count)))
        }
        return drawn
    }

    /// A method an interrupted run finished: its weights and curves back in place (a later
    /// method may build on it), its rows as they were scored.
    private func restore(_ method: any SimilarityMethod, from done: FinishedMethod, context: MethodContext,
                         into result: inout ExperimentResult) throws {
        if let failure = done.failure {
            result.failures[method.name] = failure
        } else {
            try method.restore(arrays: done.weights, history: done.history, context: context)
        }
        result.rows += done.rows
        result.learned[method.name] = done.weights
        result.histories[method.name] = done.history
        result.finished.append(method.name)
        log("\(method.name): finished before the interruption; restored from the checkpoint")
    }
}
