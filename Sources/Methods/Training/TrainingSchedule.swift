/// SGD settings shared by the network methods. The paper trains with momentum SGD
/// (Nesterov-style) and weight decay lambda = 0.001 (its section "Optimization" and the
/// objective's regulariser); it gives no learning rate, batch size or momentum value.
public struct TrainingSchedule: Codable, Equatable, Sendable {
    // MARK: Defaults (the spec format's too: `SpecDefaults` refers to these)

    /// Measured on seed 1 (`deeprank bench methods --methods deep-ranking`, 400 steps on the
    /// synthetic data): 0.01 -> 61.7%, 0.05 -> 66.5%, 0.1 -> 65.5% similarity precision.
    public static let defaultLearningRate: Float = 0.05
    public static let defaultMomentum: Float = 0.9
    public static let defaultNesterov = true
    /// The paper's lambda.
    public static let defaultWeightDecay: Float = 0.001
    public static let defaultDecayFactor: Float = 0.1

    /// Optimisation steps.
    public var steps: Int
    /// Triplets per step (ranking) or images per step (classifier).
    public var batchSize: Int
    public var learningRate: Float
    public var momentum: Float
    public var nesterov: Bool
    public var weightDecay: Float
    /// Learning rate multiplied by this factor at 50% and 75% of the steps (1 = constant);
    /// only with the `stepDecay` shape.
    public var decayFactor: Float
    /// How the rate changes over the run (`LearningRateShape`).
    public var shape: LearningRateShape
    /// Keep the parameters that score best on the validation split (nil: the last ones, as
    /// the paper does).
    public var selection: ValidationSelection?
    /// Before each update, scale the gradients down to this L2 norm when theirs is larger
    /// (`ParameterStore.clipGradientNorm(to:)`; nil: never, as the paper trains).
    public var clipGradientNorm: Float?

    public init(steps: Int, batchSize: Int, learningRate: Float = Self.defaultLearningRate,
                momentum: Float = Self.defaultMomentum, nesterov: Bool = Self.defaultNesterov,
                weightDecay: Float = Self.defaultWeightDecay, decayFactor: Float = Self.defaultDecayFactor,
                shape: LearningRateShape = .default, selection: ValidationSelection? = nil,
                clipGradientNorm: Float? = nil) {
        self.steps = steps; self.batchSize = batchSize; self.learningRate = learningRate
        self.momentum = momentum; self.nesterov = nesterov; self.weightDecay = weightDecay
        self.decayFactor = decayFactor; self.shape = shape; self.selection = selection
        self.clipGradientNorm = clipGradientNorm
    }

    /// The learning rate at `step` (0-based), per `shape`.
    public func learningRate(at step: Int) -> Float {
        shape.learningRate(at: step, of: steps, base: learningRate, decayFactor: decayFactor)
    }

    /// Whether the training loop records the rate of every step (`HistorySeries.learningRate`):
    /// for every shape but the step decay, whose rates follow from the spec alone and which
    /// run files written before the other shapes existed do not record.
    var recordsLearningRate: Bool { shape != .stepDecay }
}
