import Methods
import RunFile

/// How a run checkpoints and what it resumes from (resume: nothing is lost, and a resumed
/// run ends with the digests of an uninterrupted one).
public struct RunCheckpointing {
    /// Training steps between checkpoints (0: no checkpoints at all).
    public var interval: Int
    /// The run file being checkpointed (for messages).
    public var file: String
    /// What an interrupted run left, or nil for a fresh run.
    public var resume: RunResumePoint?
    /// Writes a checkpoint: the run so far (its finished methods) and the state of the loop
    /// that is training (nil between methods).
    public var save: (ExperimentResult, TrainingState?) throws -> Void

    public init(interval: Int, file: String, resume: RunResumePoint?,
                save: @escaping (ExperimentResult, TrainingState?) throws -> Void) {
        self.interval = interval; self.file = file; self.resume = resume; self.save = save
    }
}

/// A method an interrupted run had finished, as its checkpoint holds it.
public struct FinishedMethod {
    public var weights: [NamedArray]
    public var history: [String: [Float]]
    public var failure: String?
    public var rows: [MethodResult]
}

/// The checkpoint of an interrupted run: its finished methods and the loop that was training.
public struct RunResumePoint {
    public var finished: [String: FinishedMethod]
    public var training: TrainingState?
    /// The evaluation triplets the run was scored on; a resumed run must rebuild the same.
    public var evaluationDigest: String

    /// The resume point of a `running` record.
    public init(_ record: RunRecord) {
        var finished: [String: FinishedMethod] = [:]
        for method in record.methods {
            let rows = record.rows.filter { $0.method == method.name }.map {
                MethodResult(method: $0.method, row: $0.row, similarityPrecision: $0.similarityPrecision,
                             outcomes: $0.outcomes, trainingSeconds: $0.trainingSeconds, metrics: $0.metrics,
                             scoreContributions: $0.scoreContributions, neighbours: $0.neighbours, validation: $0.validation)
            }
            finished[method.name] = FinishedMethod(weights: method.weights, history: method.history,
                                                   failure: method.failure, rows: rows)
        }
        self.finished = finished
        self.training = record.checkpoint
        self.evaluationDigest = record.evaluation.digest
    }
}

extension TrainingState {
    /// The parameters alone, under their own names (`param/` stripped), as a method's weights.
    var parameters: [NamedArray] {
        arrays.filter { $0.name.hasPrefix("param/") }.map {
            NamedArray(name: String($0.name.dropFirst("param/".count)), shape: $0.shape, values: $0.values)
        }
    }
}
