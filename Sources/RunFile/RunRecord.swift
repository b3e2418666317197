import DatasetKit

/// Everything a run file holds, in memory: what `RunFileWriter` writes and
/// `RunFileReader.record()` gives back (RunFileFormat has the layout).
public struct RunRecord: Equatable {
    public var status: RunStatus
    public var experiment: String
    public var seed: UInt64
    /// The spec file as given and its text.
    public var specPath: String
    public var specText: String
    /// The sweep value this run is a variant for (stored as attributes of `/spec`).
    public var sweepPoint: SweepPoint?
    public var provenance: RunProvenance
    public var dataset: DatasetRecord
    public var evaluation: EvaluationRecord
    /// `/validation`: the triplets every row is also scored on, drawn the same way from the
    /// validation images (nil when the run has no validation part).
    public var validation: EvaluationRecord?
    /// In spec order.
    public var methods: [MethodRecord]
    /// The table rows, in the order the runner scored them.
    public var rows: [RowRecord]
    /// Status `running`: the state of the loop that was training when the file was written.
    public var checkpoint: TrainingState?
    /// Training steps between the run's checkpoints (0: none). It decides which weights a
    /// failed method keeps (its last good checkpoint's), so `replay` repeats it.
    public var checkpointInterval: Int = RunFileFormat.defaultCheckpointInterval

    public init(status: RunStatus, experiment: String, seed: UInt64, specPath: String, specText: String,
                provenance: RunProvenance, dataset: DatasetRecord, evaluation: EvaluationRecord,
                methods: [MethodRecord], rows: [RowRecord], sweepPoint: SweepPoint? = nil,
                checkpoint: TrainingState? = nil, validation: EvaluationRecord? = nil) {
        self.sweepPoint = sweepPoint; self.checkpoint = checkpoint; self.validation = validation
        self.status = status; self.experiment = experiment; self.seed = seed; self.specPath = specPath
        self.specText = specText; self.provenance = provenance; self.dataset = dataset
        self.evaluation = evaluation; self.methods = methods; self.rows = rows
    }

    /// The weights, metrics and histories digests of this record's values.
    public var digests: RunDigests { RunDigests(methods: methods, rows: rows) }
}

/// `/dataset`: which images, in which categories, and the split.
public struct DatasetRecord: Equatable, Sendable {
    public var kind: String
    public var categoryNames: [String]
    /// The category of every image, in index order.
    public var categories: [Int]
    public var identifiers: [String]
    public var testFraction: Double
    /// The spec's `split.validation_fraction` (0: no validation part, and nothing about it is
    /// stored).
    public var validationFraction: Double
    public var train: [Int]
    public var validation: [Int]
    public var test: [Int]

    public init(kind: String, categoryNames: [String], categories: [Int], identifiers: [String],
                testFraction: Double, train: [Int], test: [Int], validationFraction: Double = 0, validation: [Int] = []) {
        self.kind = kind; self.categoryNames = categoryNames; self.categories = categories
        self.identifiers = identifiers; self.testFraction = testFraction; self.train = train; self.test = test
        self.validationFraction = validationFraction; self.validation = validation
    }

    public init(dataset: any ImageDataset, split: DatasetSplit, testFraction: Double, validationFraction: Double = 0) {
        self.init(kind: dataset.kind, categoryNames: dataset.categoryNames,
                  categories: (0..<dataset.count).map(dataset.category(of:)),
                  identifiers: (0..<dataset.count).map(dataset.identifier(of:)),
                  testFraction: testFraction, train: split.train, test: split.test,
                  validationFraction: validationFraction, validation: split.validation)
    }

    public var count: Int { identifiers.count }

    /// `RunDigests.dataset` of this record.
    public var digest: String {
        RunDigests.dataset(kind: kind, categoryNames: categoryNames, categories: categories, identifiers: identifiers)
    }
}

/// `/evaluation`: the triplets every row is scored on, and the settings of the retrieval
/// metrics.
public struct EvaluationRecord: Equatable, Sendable {
    public var triplets: [Triplet]
    /// `generated` or `provided`.
    public var source: String
    /// `EvaluationTripletSet.digest` (it hashes identifiers, so it is stored, not recomputed).
    public var digest: String
    /// The K of Score-at-top-K (the spec's `evaluation.top_k`).
    public var topK: Int
    /// The test images whose nearest neighbours every row stores, for retrieval grids.
    public var gridQueries: [Int]

    public init(triplets: [Triplet], source: String, digest: String, topK: Int = 30, gridQueries: [Int] = []) {
        self.triplets = triplets; self.source = source; self.digest = digest
        self.topK = topK; self.gridQueries = gridQueries
    }

    public init(_ set: EvaluationTripletSet, topK: Int = 30, gridQueries: [Int] = []) {
        self.init(triplets: set.triplets, source: set.source.rawValue, digest: set.digest, topK: topK,
                  gridQueries: gridQueries)
    }
}

/// `/methods/<name>`: what one method learned and its training curves.
public struct MethodRecord: Equatable, Sendable {
    public var name: String
    /// The spec's `type` (`deep-ranking`, `oasis`, ...).
    public var type: String
    public var weights: [NamedArray]
    public var history: [String: [Float]]
    /// Why the method stopped (status `failed`), or nil when it completed.
    public var failure: String?
    /// Whether the file keeps `weights` (`store_weights`); when not, a record read back has
    /// none, and only `/digests` `weights.<method>` stands for them.
    public var weightsStored: Bool
    /// The weights file the network started from (`network.init_from`), with its digest.
    public var initialWeights: WeightsSource?

    public init(name: String, type: String, weights: [NamedArray], history: [String: [Float]], failure: String? = nil,
                weightsStored: Bool = true, initialWeights: WeightsSource? = nil) {
        self.name = name; self.type = type; self.weights = weights; self.history = history; self.failure = failure
        self.weightsStored = weightsStored; self.initialWeights = initialWeights
    }
}

/// `/methods/<method>/rows/<row>`: one row of the comparison table.
public struct RowRecord: Equatable, Sendable {
    public var method: String
    public var row: String
    public var similarityPrecision: Double
    /// Per evaluation triplet: 1, 0.5 (tie) or 0.
    public var outcomes: [Float]
    public var trainingSeconds: Double
    /// The other metrics by their stored names: `score_at_k`, `score_at_k_counted`,
    /// `precision_at_1`, `recall_at_<k>`, `r_precision`, `map_at_r`.
    public var metrics: [String: Double]
    /// Per evaluation triplet, its share of Score-at-top-K: +1, -1, or 0 (not counted).
    public var scoreContributions: [Float]
    /// For each of `EvaluationRecord.gridQueries`, its nearest test images, best first.
    public var neighbours: [[Int]]
    /// The same row scored on the validation triplets and images (nil without a validation
    /// part). Choices (a checkpoint, a sweep value) are made on these, never on the test ones.
    public var validation: ValidationScores?

    public init(method: String, row: String, similarityPrecision: Double, outcomes: [Float], trainingSeconds: Double,
                metrics: [String: Double] = [:], scoreContributions: [Float] = [], neighbours: [[Int]] = [],
                validation: ValidationScores? = nil) {
        self.method = method; self.row = row; self.similarityPrecision = similarityPrecision
        self.outcomes = outcomes; self.trainingSeconds = trainingSeconds
        self.metrics = metrics; self.scoreContributions = scoreContributions; self.neighbours = neighbours
        self.validation = validation
    }
}
