import DatasetKit
import NeuralNet
import RunFile
import TensorKit

/// A `TrainingState` (the run file's `/checkpoint`) taken from, and put back into, a
/// network loop's parameter store, optimiser and random streams.
extension TrainingState {
    /// The state of a network loop: the store's parameters and the optimiser's momentum, and
    /// with `keep_best` the best parameters so far (`best/<name>`).
    init(loop: String, step: Int, store: ParameterStore, optimizer: SGD, streams: [String: RandomStream],
         sampler: TripletSamplerState?, history: [String: [Float]], seconds: Double, best: [NamedArray] = []) {
        let arrays = store.parameters.map { NamedArray(name: "param/" + $0.name, shape: $0.shape, values: $0.value.array) }
            + [NamedArray(name: "optimizer/velocity", shape: [store.count], values: optimizer.velocity.array)] + best
        self.init(loop: loop, step: step, arrays: arrays, streams: streams.mapValues(\.stateWords), sampler: sampler,
                  history: history, seconds: seconds)
    }

    /// Copies the saved parameters and momentum into `store` and `optimizer`; throws when the
    /// state does not fit them (a checkpoint of another network).
    func restore(into store: ParameterStore, optimizer: SGD) throws {
        let byName = Dictionary(arrays.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for parameter in store.parameters {
            guard let saved = byName["param/" + parameter.name], saved.shape == parameter.shape else {
                throw MethodError.badCheckpoint(method: loop, reason: "parameter \(parameter.name) \(parameter.shape) "
                                                + "is missing or has another shape")
            }
            parameter.value.copy(from: saved.values)
        }
        guard let velocity = byName["optimizer/velocity"], velocity.values.count == store.count else {
            throw MethodError.badCheckpoint(method: loop, reason: "optimizer/velocity is missing or has another size")
        }
        optimizer.velocity.copy(from: velocity.values)
    }

    /// The saved position of stream `name`.
    func stream(_ name: String) throws -> RandomStream {
        guard let words = streams[name], words.count == 4, words.contains(where: { $0 != 0 }) else {
            throw MethodError.badCheckpoint(method: loop, reason: "no valid state for stream '\(name)'")
        }
        return RandomStream(state: words)
    }
}

/// How a training loop checkpoints: every `interval` steps it hands its `TrainingState` to
/// `save` (the runner writes it into the run file), and when it starts it asks `resume` for
/// a state saved by an earlier, interrupted run.
public struct TrainingCheckpoints {
    /// Steps between checkpoints; 0 never saves.
    public var interval: Int
    public var save: (TrainingState) throws -> Void
    /// The state to continue from for a loop, if any.
    public var resume: (String) -> TrainingState?

    public init(interval: Int, save: @escaping (TrainingState) throws -> Void,
                resume: @escaping (String) -> TrainingState? = { _ in nil }) {
        self.interval = interval; self.save = save; self.resume = resume
    }

    /// Never saves, never resumes.
    public static let none = TrainingCheckpoints(interval: 0, save: { _ in })

    /// Whether a checkpoint is due after `finished` steps of `total` (not after the last
    /// step: the finished method is saved whole).
    public func isDue(afterStep finished: Int, of total: Int) -> Bool {
        interval > 0 && finished % interval == 0 && finished < total
    }
}
