import DatasetKit
import NeuralNet

/// Every default of the spec format, in one place (Experiments/README.md lists the same
/// values with their reasons). Where a library type has a default, the spec uses it;
/// the training budgets are `DefaultComparison.Budget`'s measured values.
public enum SpecDefaults {
    // MARK: split, input, evaluation
    public static let testFraction = 0.25
    public static let inputSize = 64
    public static let resizeMode = Resize.Mode.automatic
    public static let maxShift = 4
    public static let shiftFill = EdgeFill.replicate
    public static let flip = false
    public static let normalizeMean: [Float] = [0.5, 0.5, 0.5]
    public static let normalizeStd: [Float] = [0.25, 0.25, 0.25]
    /// `EvaluationTripletParameters()`: 5,000 triplets, gap 0.25, no out-of-class share.
    public static let evaluation = EvaluationTripletParameters()
    /// `MetricSettings()`: the paper's "score at top K" uses K = 30; Recall@1, 5, 10; 6 grid
    /// queries with 8 neighbours each.
    public static let metrics = MetricSettings()

    // MARK: network methods
    public static let network = "reference"
    public static let rankingSteps = 600
    public static let rankingBatchSize = 32
    public static let classifierSteps = 400
    public static let classifierBatchSize = 96
    public static let learningRate: Float = 0.05
    public static let momentum: Float = 0.9
    public static let nesterov = true
    public static let weightDecay: Float = 0.001
    public static let learningRateDecay: Float = 0.1
    public static let margin: Float = 0.2
    public static let pretrainSteps = 200
    public static let pretrainBatchSize = 96

    // MARK: samplers
    /// `TripletSamplingParameters()`: T_p 0.9, T_r 0.05, out-of-class 0.2, 20 tries.
    public static let sampling = TripletSamplingParameters()
    public static let onlineBufferSize = 20
    public static let onlineAcceptance = PositiveAcceptance.paper

    // MARK: golden and OASIS
    public static let goldenTriplets = 4_000
    public static let goldenRegularization = 1e-3
    public static let goldenSteps = 4_000
    public static let goldenBatchSize = 32
    public static let oasisSteps = 20_000
    public static let oasisAggressiveness: Float = 0.1
    public static let oasisSymmetrizeEvery = 0
    public static let oasisReportEvery = 1_000
}
