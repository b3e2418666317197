import Foundation
import DatasetKit
import Features
import Methods
import NeuralNet
import RunFile

/// A decoded, validated experiment spec (Experiments/README.md describes the YAML) with
/// every default applied. `SpecParser` makes one; `plan(seed:)` turns it into the objects
/// a run needs.
public struct ExperimentSpec: Equatable, Sendable {
    /// The file the spec came from (as given to the parser) and its text, for run files.
    public var path: String
    public var text: String
    /// `experiment`: the name, `[a-z0-9][a-z0-9-]*`.
    public var experiment: String
    public var description: String?
    /// One run per seed, in the order given.
    public var seeds: [UInt64]
    public var dataset: DatasetChoice
    /// `split.test_fraction`: share of each category held out for evaluation.
    public var testFraction: Double
    public var evaluation: EvaluationTripletParameters
    /// `evaluation.top_k`, `recall_at`, `grid_queries`, `grid_neighbours`.
    public var metrics: MetricSettings
    public var input: InputSpec
    /// Every listed method is a row (or, for the classifier, two rows) of the table.
    public var methods: [MethodSpec]
    public var sweep: SweepSpec?
    /// For a sweep variant: the swept key and the value's label (nil for a plain spec).
    public var sweepPoint: SweepPoint?
    /// `store_weights`: which methods' learned arrays the finished run file keeps.
    public var storeWeights: WeightStorage = .all
    /// `split.validation_fraction`: share of each category carved out of the training images
    /// to choose things on (0: no validation part).
    public var validationFraction: Double = SpecDefaults.validationFraction
    /// `split.validation_triplets`: how many validation triplets (nil: as many as
    /// `evaluation.triplets`); drawn like the test ones, from the validation images.
    public var validationTriplets: Int?

    public init(path: String, text: String, experiment: String, description: String?, seeds: [UInt64],
                dataset: DatasetChoice, testFraction: Double, evaluation: EvaluationTripletParameters, metrics: MetricSettings,
                input: InputSpec, methods: [MethodSpec], sweep: SweepSpec?) {
        self.path = path; self.text = text; self.experiment = experiment; self.description = description
        self.seeds = seeds; self.dataset = dataset; self.testFraction = testFraction; self.evaluation = evaluation
        self.metrics = metrics; self.input = input; self.methods = methods; self.sweep = sweep
    }
}

/// `input`: the image pipeline in front of every method (see `Augmentation`).
public struct InputSpec: Equatable, Sendable {
    /// Images are resized to `size x size`; every network's input size must equal it.
    public var size: Int
    public var resizeMode: Resize.Mode
    /// Random pixel shift in each direction during training (the paper's "random pixel shifts").
    public var maxShift: Int
    public var shiftFill: EdgeFill
    public var flip: Bool
    /// nil: values stay in [0, 1].
    public var normalization: ChannelNormalization?
    /// `resized_crop`: random resized crops of training images (nil: off, the default).
    public var resizedCrop: RandomResizedCrop?
    /// `colour_jitter`: colour changes of training images (nil: off, the default).
    public var colourJitter: ColourJitter?

    public init(size: Int, resizeMode: Resize.Mode, maxShift: Int, shiftFill: EdgeFill, flip: Bool,
                normalization: ChannelNormalization?, resizedCrop: RandomResizedCrop? = nil,
                colourJitter: ColourJitter? = nil) {
        self.size = size; self.resizeMode = resizeMode; self.maxShift = maxShift; self.shiftFill = shiftFill
        self.flip = flip; self.normalization = normalization
        self.resizedCrop = resizedCrop; self.colourJitter = colourJitter
    }

    /// The pipeline: resize to `size`, (resized crop,) shift, flip, (colour jitter,) normalise.
    public func augmentation() throws -> Augmentation {
        try Augmentation(resize: Resize(height: size, width: size, mode: resizeMode), maxShift: maxShift,
                         shiftFill: shiftFill, flip: flip, normalization: normalization,
                         resizedCrop: resizedCrop, colourJitter: colourJitter)
    }
}

/// One entry of `methods`.
public struct MethodSpec: Equatable, Sendable {
    public var name: String
    public var kind: Kind
    /// `network.init_from` of a deep-ranking or classifier method (nil: none).
    public var initialWeights: WeightsSource?

    public enum Kind: Equatable, Sendable {
        case deepRanking(DeepRankingSpec)
        case classifier(network: MultiScaleConfig, schedule: TrainingSchedule)
        case handcrafted(FeatureChoice)
        case golden(features: [FeatureChoice], learning: GoldenWeightLearning, triplets: Int, sampler: SamplerChoice)
        /// `base`: the name of a method listed earlier; `featureMap` is applied to its vectors.
        case oasis(base: String, parameters: OASISParameters, sampler: SamplerChoice, featureMap: FeatureMap)
    }

    public init(name: String, kind: Kind, initialWeights: WeightsSource? = nil) {
        self.name = name; self.kind = kind; self.initialWeights = initialWeights
    }

    /// The spec's `type` value.
    public var type: String {
        switch kind {
        case .deepRanking: return "deep-ranking"
        case .classifier: return "classifier"
        case .handcrafted: return "handcrafted"
        case .golden: return "golden"
        case .oasis: return "oasis"
        }
    }
}

/// A `deep-ranking` method's settings.
public struct DeepRankingSpec: Equatable, Sendable {
    public var network: MultiScaleConfig
    public var schedule: TrainingSchedule
    /// g in the triplet hinge loss.
    public var margin: Float
    public var sampler: SamplerChoice
    public var pretraining: TrainingSchedule?
    /// `mining`: online hard mining (nil: none, the paper's training).
    public var mining: HardMining?
    /// `pretrain.dataset`: the data set the pre-training classifier learns (nil: the run's
    /// training split).
    public var pretrainingDataset: DatasetChoice?
    /// `pretrain.concept_relevance`: pre-training's classes are the training split's concept
    /// groups at this relevance (nil: the categories).
    public var pretrainingConceptRelevance: Float?
    /// `pretrain.target`: what pre-training learns (`categories`, the default, or `hog`).
    public var pretrainingTarget: PretrainingTarget
    /// `pretrain.scope`: which parts pre-training trains (`convnet`, the default, or
    /// `network` with target `hog`).
    public var pretrainingScope: PretrainingScope

    public init(network: MultiScaleConfig, schedule: TrainingSchedule, margin: Float, sampler: SamplerChoice,
                pretraining: TrainingSchedule?, mining: HardMining? = nil, pretrainingDataset: DatasetChoice? = nil,
                pretrainingConceptRelevance: Float? = nil, pretrainingTarget: PretrainingTarget = .categories,
                pretrainingScope: PretrainingScope = .convnet) {
        self.network = network; self.schedule = schedule; self.margin = margin; self.sampler = sampler
        self.pretraining = pretraining; self.mining = mining; self.pretrainingDataset = pretrainingDataset
        self.pretrainingConceptRelevance = pretrainingConceptRelevance
        self.pretrainingTarget = pretrainingTarget
        self.pretrainingScope = pretrainingScope
    }
}

/// A hand-crafted feature by catalog name (`FeatureCatalog.names`) with its distance.
public struct FeatureChoice: Equatable, Sendable {
    public var feature: String
    public var distance: FeatureDistance

    public init(feature: String, distance: FeatureDistance) { self.feature = feature; self.distance = distance }

    public func make() throws -> HandCraftedFeature {
        HandCraftedFeature(try FeatureCatalog.extractor(named: feature), distance: distance)
    }
}

/// `sweep`: one key of the spec takes several values; each value gives a variant of the
/// spec (already validated), run under its own name.
public struct SweepSpec: Equatable, Sendable {
    /// Dotted key path; methods are addressed by name (`methods.deep-ranking.margin`).
    public var key: String
    /// The values as written (scalars; `value-<i>` for lists and mappings).
    public var labels: [String]
    /// The spec with `key` set to each value, in order; their own `sweep` is nil.
    public var variants: [ExperimentSpec]

    public init(key: String, labels: [String], variants: [ExperimentSpec]) {
        self.key = key; self.labels = labels; self.variants = variants
    }
}

/// `store_weights`: which learned arrays a finished run file keeps. Their digests are always
/// stored (`/digests` `weights.<method>`), so `replay` proves the bits either way; checkpoints
/// always keep everything (a resumed run needs it).
public enum WeightStorage: String, Equatable, Sendable, CaseIterable {
    /// Every method's arrays.
    case all
    /// Only methods whose arrays total at most `smallLimitBytes` (golden weights, small OASIS
    /// matrices): results committed to git stay small.
    case small
    /// None: metrics, histories and digests only.
    case none

    /// The `small` limit per method: 1 MiB.
    public static let smallLimitBytes = 1 << 20

    /// Whether a method with these arrays keeps them.
    public func keeps(_ arrays: [NamedArray]) -> Bool {
        switch self {
        case .all: return true
        case .none: return arrays.isEmpty
        case .small: return arrays.reduce(0) { $0 + 4 * $1.values.count } <= Self.smallLimitBytes
        }
    }
}

/// Whether parsing a spec reads and hashes the weights files its networks start from.
public enum WeightsFileReading: Equatable, Sendable {
    /// Read and hashed: the file must exist (running, checking, replaying a spec).
    case hashed
    /// Only named (restoring a stored model for `embed` and `query`).
    case namedOnly
}
