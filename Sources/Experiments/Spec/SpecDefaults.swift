import DatasetKit
import Features
import Methods
import NeuralNet

/// Every default of the spec format, in one place (Experiments/README.md lists the same
/// values with their reasons). Where a library type has a default, the spec refers to it
/// rather than spelling it again (`TrainingSchedule`'s SGD settings, `GoldenWeightLearning()`,
/// `OASISParameters`, `TripletSamplingParameters()`, `EvaluationTripletParameters()`,
/// `MetricSettings()`); the training budgets are spelled here.
public enum SpecDefaults {
    // MARK: split, input, evaluation
    public static let testFraction = 0.25
    /// No validation part unless asked for: every run file made before it existed replays.
    public static let validationFraction = 0.0
    /// `keep_best.every`: steps between validation checks of a network method.
    public static let keepBestEvery = 100
    public static let inputSize = 64
    public static let resizeMode = Resize.defaultMode
    public static let maxShift = 4
    public static let shiftFill = EdgeFill.default
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
    /// Three images per ranking triplet.
    public static let classifierBatchSize = 96
    public static let learningRate = TrainingSchedule.defaultLearningRate
    public static let momentum = TrainingSchedule.defaultMomentum
    public static let nesterov = TrainingSchedule.defaultNesterov
    public static let weightDecay = TrainingSchedule.defaultWeightDecay
    public static let learningRateDecay = TrainingSchedule.defaultDecayFactor
    public static let margin: Float = 0.2
    /// Measured on seed 1 (`deeprank bench methods --methods deep-ranking`, 400 steps): 200
    /// steps of classifier pre-training raise similarity precision from 69.1% to 75.9%.
    public static let pretrainSteps = 200
    /// Pre-training is classifier training: the classifier's batch.
    public static let pretrainBatchSize = classifierBatchSize
    /// Pre-training is the paper's: a classifier over the categories.
    public static let pretrainTarget = PretrainingTarget.categories
    /// Pre-training is the paper's: the ConvNet part alone.
    public static let pretrainScope = PretrainingScope.convnet

    // MARK: samplers
    /// `TripletSamplingParameters()`: T_p 0.9, T_r 0.05, out-of-class 0.2, 20 tries.
    public static let sampling = TripletSamplingParameters()
    public static let onlineBufferSize = 20
    public static let onlineAcceptance = PositiveAcceptance.default

    // MARK: golden and OASIS
    public static let goldenTriplets = 4_000
    /// `GoldenWeightLearning()`: lambda 1e-3, 4,000 Pegasos steps of 32 triplets.
    static let goldenLearning = try! GoldenWeightLearning()
    public static let goldenRegularization = goldenLearning.regularization
    public static let goldenSteps = goldenLearning.steps
    public static let goldenBatchSize = goldenLearning.batchSize
    /// `OASISParameters(steps: 20_000)`: C = 0.1, never symmetrised, a loss entry every
    /// 1,000 steps.
    static let oasis = try! OASISParameters(steps: 20_000)
    public static let oasisSteps = oasis.steps
    public static let oasisAggressiveness = oasis.aggressiveness
    public static let oasisSymmetrizeEvery = oasis.symmetrizeEvery
    public static let oasisReportEvery = oasis.reportEvery
    public static let oasisFeatureMap = FeatureMap.identity

    // MARK: photo-crops data set
    /// `PhotoCropsDataset.Options`: every catalog photograph, 48 crops each at 64 px, scales
    /// 0.3 ... 0.9 of the shorter side, IoU relevance, crop seed 1, packages under `/`.
    public static let photoCropsPerPhotograph = PhotoCropsDataset.Options.defaultCropsPerPhotograph
    public static let photoCropSize = PhotoCropsDataset.Options.defaultSize
    public static let photoCropMinScale = PhotoCropsDataset.Options.defaultMinScale
    public static let photoCropMaxScale = PhotoCropsDataset.Options.defaultMaxScale
    public static let photoCropRelevance = PhotoCropsDataset.Options.defaultOverlap
    public static let photoCropSeed = PhotoCropsDataset.Options.defaultCropSeed
    public static let photoCropRoot = PhotoCropsDataset.Options.defaultRoot
}

// MARK: - Training recipes beyond the paper (all off unless a spec turns them on)
extension SpecDefaults {
    /// `input.resized_crop` when turned on without settings: torchvision's `RandomResizedCrop`.
    public static let resizedCropScale = RandomResizedCrop.defaultScale
    public static let resizedCropRatio = RandomResizedCrop.defaultRatio
    /// `input.colour_jitter`: a strength not given is 0 (that operation off).
    public static let colourJitterStrength = ColourJitter.offStrength
    /// `schedule: cosine`: no warm-up, decay to 0.
    public static let warmupSteps = LearningRateShape.defaultWarmupSteps
    public static let finalLearningRateFraction = LearningRateShape.defaultFinalFraction
}

// MARK: - Hard mining (deep ranking's `mining`, off unless a spec turns it on)
extension SpecDefaults {
    public static let miningGroups = HardMining.defaultGroups
    public static let miningPerGroup = HardMining.defaultPerGroup
    public static let miningMix = HardMining.defaultMix
}
