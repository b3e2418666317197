import DatasetKit
import Methods
import TensorKit

/// Which data set an experiment runs on (README, "Data").
public enum DatasetChoice: Equatable, Sendable {
    case synthetic(SyntheticConfig)
    case imageFolder(root: String, relevanceCSV: String?, tripletsCSV: String?)
    case iconThemes(IconThemesDataset.Options)
    case photoCrops(PhotoCropsDataset.Options)

    /// Opens the data set; the synthetic one is generated from the run's streams
    /// (child `data`), the photo crops from their own crop seed.
    public func open(streams: RandomStreams) throws -> any ImageDataset {
        switch self {
        case .synthetic(let config):
            return try SyntheticDataset(config: config, streams: streams.child("data"))
        case .imageFolder(let root, let relevance, let triplets):
            return try ImageFolderDataset(root: root, relevanceCSV: relevance, tripletsCSV: triplets)
        case .iconThemes(let options):
            return try IconThemesDataset(options: options)
        case .photoCrops(let options):
            return try PhotoCropsDataset(options: options)
        }
    }
}

/// Everything one seeded run of an experiment needs, already validated: the data, the
/// split, the evaluation triplets, the image pipeline and the methods (each one row or
/// more of the comparison table).
public struct ExperimentPlan {
    public var name: String
    public var seed: UInt64
    public var dataset: DatasetChoice
    /// Share of each category held out for evaluation.
    public var testFraction: Double
    public var evaluation: EvaluationTripletParameters
    /// Resize/shift/normalise; the network input size is its output size.
    public var augmentation: Augmentation
    public var methods: [any SimilarityMethod]
    /// Score-at-top-K's K, Recall@K's K's, the retrieval-grid queries.
    public var metrics: MetricSettings
    /// Share of each category carved out of the training images for validation (0: none).
    public var validationFraction: Double = 0
    /// The validation triplets: the evaluation's parameters, with `count` from
    /// `split.validation_triplets` when given (see `validationParameters`).
    public var validationTriplets: Int?

    /// How validation triplets are drawn: as the test ones, from the validation images. Provided
    /// triplets belong to the test side, so unless the spec restricts them to a split they
    /// are ignored here and validation triplets are generated.
    public var validationParameters: EvaluationTripletParameters {
        var p = evaluation
        if let validationTriplets { p.count = validationTriplets }
        if p.providedTriplets == .useAsGiven { p.providedTriplets = .ignore }
        return p
    }

    public init(name: String, seed: UInt64, dataset: DatasetChoice, testFraction: Double,
                evaluation: EvaluationTripletParameters, augmentation: Augmentation,
                methods: [any SimilarityMethod], metrics: MetricSettings = MetricSettings()) {
        self.name = name; self.seed = seed; self.dataset = dataset; self.testFraction = testFraction
        self.evaluation = evaluation; self.augmentation = augmentation; self.methods = methods
        self.metrics = metrics
    }
}
