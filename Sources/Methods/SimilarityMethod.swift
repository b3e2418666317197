import DatasetKit
import Evaluation
import NeuralNet
import RunFile
import TensorKit

extension ParameterStore {
    /// Every parameter as a named array (copies), in storage order, for run files.
    var namedArrays: [NamedArray] {
        parameters.map { NamedArray(name: $0.name, shape: $0.shape, values: $0.value.array) }
    }

    /// Sets every parameter from the array of the same name (`namedArrays` of a stored run);
    /// `method` names the method in the error when one is missing or has another shape.
    func load(_ arrays: [NamedArray], method: String) throws {
        let byName = Dictionary(arrays.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for parameter in parameters {
            guard let saved = byName[parameter.name], saved.shape == parameter.shape else {
                throw MethodError.badCheckpoint(method: method, reason: "weights \(parameter.name) \(parameter.shape) "
                                                + "are missing or have another shape")
            }
            parameter.value.copy(from: saved.values)
        }
    }
}

/// What a method sees while it trains and ranks: the data, its split, its own stream
/// family (`RandomStreams.child(<method name>)`), the image pipeline, and a logger.
public struct MethodContext {
    public let dataset: any ImageDataset
    public let split: DatasetSplit
    public let streams: RandomStreams
    /// Resize/shift/normalise for training images; evaluation uses its deterministic path.
    public let augmentation: Augmentation
    public let log: (String) -> Void
    /// Called after every training step (a terminal progress bar, say).
    public let progress: (TrainingProgress) -> Void
    /// Where training loops save and find their resumable state.
    public let checkpoints: TrainingCheckpoints
    /// The validation triplets, when the run has a validation part (for `keep_best`).
    public let validation: ValidationTriplets?

    public init(dataset: any ImageDataset, split: DatasetSplit, streams: RandomStreams,
                augmentation: Augmentation, log: @escaping (String) -> Void = { _ in },
                progress: @escaping (TrainingProgress) -> Void = { _ in }, checkpoints: TrainingCheckpoints = .none,
                validation: ValidationTriplets? = nil) {
        self.dataset = dataset; self.split = split; self.streams = streams
        self.augmentation = augmentation; self.log = log; self.progress = progress; self.checkpoints = checkpoints
        self.validation = validation
    }

    /// The same context with another stream family (for a component trained inside a method).
    public func with(streams: RandomStreams) -> MethodContext {
        MethodContext(dataset: dataset, split: split, streams: streams, augmentation: augmentation, log: log,
                      progress: progress, checkpoints: checkpoints, validation: validation)
    }
}

/// One row (or several related rows) of the comparison table: one protocol for every
/// method, so the evaluator and the reports never special-case one. A method trains on
/// `context.split.train` from its own seeded streams (or does nothing), then ranks any set
/// of images through `Ranker`s.
public protocol SimilarityMethod: AnyObject {
    /// The method's name, unique within an experiment.
    var name: String { get }
    /// Trains on the training split. Fixed methods do nothing.
    func train(_ context: MethodContext) throws
    /// Whether `train` has run (fixed methods: always), so a method shared as another's
    /// base is trained once.
    var isTrained: Bool { get }
    /// One ranker per table row the method contributes (the classifier gives two: its
    /// class probabilities and its penultimate features), over the images `indices`.
    func rankers(for indices: [Int], context: MethodContext) throws -> [(row: String, ranker: Ranker)]
    /// Everything the method learned, for run files.
    var learnedArrays: [NamedArray] { get }
    /// Rebuilds the trained method from its `learnedArrays` and `history` as a run file holds
    /// them (a method finished before a run was interrupted; `embed` and `query`), so it
    /// ranks exactly as it did. Throws `MethodError.badCheckpoint` when they do not fit.
    func restore(arrays: [NamedArray], history: [String: [Float]], context: MethodContext) throws
    /// Training curves (`loss` per step, ...), empty for fixed methods.
    var history: [String: [Float]] { get }
}
