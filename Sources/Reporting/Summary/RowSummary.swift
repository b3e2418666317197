/// One row of a report table: a row's metrics over the seeds of a group, and the paired
/// tests of it against the group's best row (`GroupSummary`).
public struct RowSummary: Equatable {
    public var method: String
    /// The method's spec type (`deep-ranking`, `handcrafted`, ...).
    public var type: String
    public var row: String
    /// The seeds that have this row.
    public var seeds: [UInt64]
    /// By stored metric name, `similarity_precision` included: on the test split.
    public var metrics: [String: MetricSummary]
    /// The same on the validation split, over the seeds whose runs have one (empty when none
    /// has).
    public var validation: [String: MetricSummary] = [:]
    /// Whether this is the table's best row: the highest mean similarity precision on the
    /// split the group chooses on (`GroupSummary.chosenOn`).
    public var isBest: Bool
    /// Against the best row, on per-triplet outcomes; nil for the best row itself or when
    /// no seed has both rows.
    public var precisionTest: SignFlipTest?
    /// Against the best row, on per-triplet Score-at-top-K contributions; nil as above or
    /// when the runs hold no contributions.
    public var scoreTest: SignFlipTest?

    public init(method: String, type: String, row: String, seeds: [UInt64], metrics: [String: MetricSummary],
                isBest: Bool = false, precisionTest: SignFlipTest? = nil, scoreTest: SignFlipTest? = nil) {
        self.method = method; self.type = type; self.row = row; self.seeds = seeds; self.metrics = metrics
        self.isBest = isBest; self.precisionTest = precisionTest; self.scoreTest = scoreTest
    }
}

/// A method that stopped in one seed, with its reason (`MethodRecord.failure`).
public struct MethodFailure: Equatable {
    public var method: String
    public var type: String
    public var seed: UInt64
    public var reason: String
}
