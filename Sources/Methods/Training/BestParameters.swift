import NeuralNet
import RunFile

/// The parameters of the best validation check so far (`ValidationSelection`): a copy of
/// every parameter of the store, the check's step and its precision. A later check must be
/// strictly better to replace it (ties keep the earlier step).
struct BestParameters {
    private(set) var step: Int?
    private(set) var precision = -Double.infinity
    /// `best/<name>` for every parameter, as checkpoints store them (empty before a check).
    private(set) var parameters: [NamedArray] = []

    init() {}

    /// The best parameters an interrupted run saved, with the step and precision its
    /// history recorded (`validation_step`, `validation_precision`: the first maximum).
    init(state: TrainingState, store: ParameterStore) throws {
        let saved = state.arrays.filter { $0.name.hasPrefix(Self.prefix) }
        guard !saved.isEmpty else { return }
        guard saved.count == store.parameters.count else {
            throw MethodError.badCheckpoint(method: state.loop, reason: "\(saved.count) best/ arrays for "
                                            + "\(store.parameters.count) parameters")
        }
        let steps = state.history[.validationStep] ?? [], precisions = state.history[.validationPrecision] ?? []
        guard let top = precisions.indices.max(by: { precisions[$0] < precisions[$1] || (precisions[$0] == precisions[$1] && $0 > $1) }),
              top < steps.count else {
            throw MethodError.badCheckpoint(method: state.loop, reason: "best/ arrays without validation checks")
        }
        parameters = saved
        step = Int(steps[top])
        precision = Double(precisions[top])
    }

    /// Keeps a copy of `store`'s parameters when `precision` beats the best so far.
    mutating func offer(_ precision: Double, step: Int, store: ParameterStore) -> Bool {
        // Compared as stored (Float), so a resumed run, which reads the precision back from
        // its history, decides as an uninterrupted one.
        guard Float(precision) > Float(self.precision) || self.step == nil else { return false }
        self.precision = Double(Float(precision))
        self.step = step
        parameters = store.parameters.map { NamedArray(name: Self.prefix + $0.name, shape: $0.shape, values: $0.value.array) }
        return true
    }

    /// Copies the kept parameters back into `store`.
    func restore(into store: ParameterStore) {
        let byName = Dictionary(parameters.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for parameter in store.parameters {
            if let saved = byName[Self.prefix + parameter.name] { parameter.value.copy(from: saved.values) }
        }
    }

    static let prefix = "best/"
}
