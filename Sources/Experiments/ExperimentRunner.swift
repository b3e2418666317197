import DatasetKit
import Evaluation
import Foundation
import Methods
import RunFile
import TensorKit

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
        let setup = try prepare(plan)
        var result = ExperimentResult(plan: plan.name, seed: plan.seed, datasetCount: setup.dataset.count,
                                      dataset: setup.dataset, split: setup.split, evaluationTriplets: setup.evaluation,
                                      validationTriplets: setup.validation?.triplets, topK: plan.metrics.topK,
                                      gridQueries: setup.gridQueries, rows: [], histories: [:], learned: [:])
        let resume = checkpointing?.resume
        if let resume {
            guard resume.evaluationDigest == setup.evaluation.digest else {
                throw RunFileError.cannotResume(file: checkpointing?.file ?? "", reason: "the evaluation triplets differ "
                    + "(\(resume.evaluationDigest.prefix(12)) stored, \(setup.evaluation.digest.prefix(12)) now)")
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
            let context = MethodContext(dataset: setup.dataset, split: setup.split, streams: setup.streams.child(method.name),
                                        augmentation: plan.augmentation, log: log, progress: progress,
                                        checkpoints: trainingCheckpoints,
                                        validation: setup.validation?.forTraining)
            if let done = resume?.finished[method.name] {
                try restore(method, from: done, context: context, into: &result)
                continue
            }
            let start = Date()
            let earlier = resume?.training.map { $0.loop == method.name ? $0.seconds : 0 } ?? 0
            do {
                try method.train(context)
                let seconds = earlier + Date().timeIntervalSince(start)
                result.rows += try score(method, context: context, setup: setup, metrics: plan.metrics, seconds: seconds)
                result.learned[method.name] = method.learnedArrays
            } catch let error as MethodError {
                recordFailure(of: method.name, error, lastState: lastStates[method.name], into: &result)
            }
            result.histories[method.name] = method.history
            result.finished.append(method.name)
            if let checkpointing, checkpointing.interval > 0, method.name != plan.methods.last?.name {
                try checkpointing.save(result, nil)
            }
        }
        return result
    }

    /// What every method of a run shares: the data, its split (stream `split/<category>`),
    /// the evaluation triplets (stream `evaluation-triplets`), the images every row ranks and
    /// the retrieval-grid queries.
    private struct Setup {
        var streams: RandomStreams
        var dataset: any ImageDataset
        var split: DatasetSplit
        var evaluation: EvaluationTripletSet
        /// Every test image (Score@K and the retrieval metrics use them all), plus any triplet
        /// image outside the test split (provided triplets are used as given).
        var evaluated: [Int]
        var categories: [Int]
        var gridQueries: [Int]
        /// The validation triplets and images, when the split has a validation part.
        var validation: ValidationSetup?
    }

    /// The validation side of a run: triplets drawn like the test ones (stream
    /// `validation-triplets`) from the validation images, and the images every row ranks
    /// there.
    private struct ValidationSetup {
        var triplets: EvaluationTripletSet
        var evaluated: [Int]
        /// The triplets and their images as training loops score them (`keep_best`).
        var forTraining: ValidationTriplets
    }

    /// The stream the validation triplets are drawn from.
    static let validationTripletStream = "validation-triplets"

    private func prepare(_ plan: ExperimentPlan) throws -> Setup {
        let streams = RandomStreams(seed: plan.seed)
        let dataset = try plan.dataset.open(streams: streams)
        let split = DatasetSplit(dataset: dataset, testFraction: plan.testFraction,
                                 validationFraction: plan.validationFraction, streams: streams)
        let evaluation = try EvaluationTripletBuilder.build(
            dataset: dataset, testIndices: split.test, parameters: plan.evaluation,
            stream: streams.stream(EvaluationTripletBuilder.streamName))
        var validation: ValidationSetup?
        if !split.validation.isEmpty {
            let triplets = try EvaluationTripletBuilder.build(
                dataset: dataset, testIndices: split.validation, parameters: plan.validationParameters,
                stream: streams.stream(Self.validationTripletStream), side: "validation")
            validation = ValidationSetup(triplets: triplets, evaluated: Self.evaluated(split.validation, triplets),
                                         forTraining: ValidationTriplets(triplets: triplets.triplets))
        }
        log("\(plan.name) seed \(plan.seed): \(dataset.count) images in \(dataset.categoryNames.count) categories, "
            + "\(split.train.count) for training, \(evaluation.triplets.count) evaluation triplets (\(evaluation.digest.prefix(12)))"
            + (validation.map { ", \(split.validation.count) validation images with \($0.triplets.triplets.count) triplets" } ?? ""))
        let evaluated = Self.evaluated(split.test, evaluation)
        let gridQueries = Self.gridQueries(test: split.test, count: plan.metrics.gridQueries,
                                           stream: streams.stream(Self.gridQueryStream))
        return Setup(streams: streams, dataset: dataset, split: split, evaluation: evaluation, evaluated: evaluated,
                     categories: (0..<dataset.count).map(dataset.category(of:)), gridQueries: gridQueries,
                     validation: validation)
    }

    /// The images a row ranks on one side of the split: all of them, plus any triplet image
    /// outside it (provided triplets are used as given).
    private static func evaluated(_ side: [Int], _ triplets: EvaluationTripletSet) -> [Int] {
        Array(Set(side + triplets.triplets.flatMap { [$0.query, $0.positive, $0.negative] })).sorted()
    }

    /// The rows of a trained method, each scored on the shared evaluation triplets and test
    /// images, with the neighbours of the grid queries.
    private func score(_ method: any SimilarityMethod, context: MethodContext, setup: Setup, metrics: MetricSettings,
                       seconds: Double) throws -> [MethodResult] {
        let validation = try setup.validation.map { try validate(method, context: context, setup: setup, $0, metrics: metrics) }
        return try method.rankers(for: setup.evaluated, context: context).map { row, ranker in
            let m = RowEvaluation.evaluate(ranker, triplets: setup.evaluation.triplets, categoryOf: setup.categories,
                                           candidates: setup.split.test, topK: metrics.topK, recallKs: metrics.recallAt)
            let neighbours = RowEvaluation.neighbours(ranker, queries: setup.gridQueries, candidates: setup.split.test,
                                                      k: max(0, min(metrics.gridNeighbours, setup.split.test.count - 1)))
            log(String(format: "%@: similarity precision %.2f%%, Score@%d %d, MAP@R %.3f (trained in %.1f s)",
                       row, 100 * m.similarityPrecision, m.topK, m.scoreAtK, m.mapAtR, seconds))
            return MethodResult(method: method.name, row: row, similarityPrecision: m.similarityPrecision,
                                outcomes: m.outcomes, trainingSeconds: seconds, metrics: m.scalars,
                                scoreContributions: m.scoreContributions, neighbours: neighbours,
                                validation: validation?[row])
        }
    }

    /// Every row of a trained method scored on the validation triplets and images, by row
    /// name. The method ranks the validation images in a pass of their own, so its test
    /// scores are computed exactly as in a run without a validation part.
    private func validate(_ method: any SimilarityMethod, context: MethodContext, setup: Setup, _ validation: ValidationSetup,
                          metrics: MetricSettings) throws -> [String: ValidationScores] {
        var scores: [String: ValidationScores] = [:]
        for (row, ranker) in try method.rankers(for: validation.evaluated, context: context) {
            let m = RowEvaluation.evaluate(ranker, triplets: validation.triplets.triplets, categoryOf: setup.categories,
                                           candidates: setup.split.validation, topK: metrics.topK,
                                           recallKs: metrics.recallAt)
            log(String(format: "%@: validation similarity precision %.2f%%", row, 100 * m.similarityPrecision))
            scores[row] = ValidationScores(similarityPrecision: m.similarityPrecision, outcomes: m.outcomes, metrics: m.scalars)
        }
        return scores
    }

    /// One method failing (a NaN loss, ...) does not stop the others: it has no rows and keeps
    /// the weights of its last good checkpoint, if it saved one.
    private func recordFailure(of method: String, _ error: MethodError, lastState: TrainingState?,
                               into result: inout ExperimentResult) {
        var reason = error.description
        if let last = lastState {
            result.learned[method] = last.parameters
            reason += "; weights are those of the last good checkpoint (step \(last.step))"
        } else {
            result.learned[method] = []
        }
        log("\(method): FAILED: \(reason)")
        result.failures[method] = reason
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
