import DatasetKit
import RunFile

/// One row of the comparison table: a method's ranking measured on the shared
/// evaluation triplets.
public struct MethodResult: Sendable {
    public var method: String
    public var row: String
    public var similarityPrecision: Double
    /// Per-triplet outcome (1, 0.5 for a tie, 0), for paired tests between rows.
    public var outcomes: [Float]
    public var trainingSeconds: Double
    /// `RowRecord.metrics`: Score-at-top-K and the retrieval metrics by stored name.
    public var metrics: [String: Double] = [:]
    /// Per evaluation triplet: +1, -1 or 0, its share of Score-at-top-K.
    public var scoreContributions: [Float] = []
    /// Nearest test images of each grid query, best first.
    public var neighbours: [[Int]] = []
    /// The row scored on the validation split (nil without one).
    public var validation: ValidationScores?
}

/// What a run produced.
public struct ExperimentResult {
    public var plan: String
    public var seed: UInt64
    public var datasetCount: Int
    /// The data set the run used (for run files: identifiers, categories, digest).
    public var dataset: any ImageDataset
    public var split: DatasetSplit
    public var evaluationTriplets: EvaluationTripletSet
    /// The triplets drawn from the validation images (nil without a validation part).
    public var validationTriplets: EvaluationTripletSet?
    /// The K of Score-at-top-K.
    public var topK: Int = 30
    /// Test images whose neighbours every row records (retrieval grids).
    public var gridQueries: [Int] = []
    public var rows: [MethodResult]
    public var histories: [String: [String: [Float]]]
    public var learned: [String: [NamedArray]]
    /// Methods that stopped with a `MethodError` (e.g. a NaN loss): name -> reason. They
    /// have no rows; the other methods ran as usual.
    public var failures: [String: String] = [:]
    /// The methods finished so far (completed or failed), in plan order; all of them once
    /// the run is complete.
    public var finished: [String] = []
}
