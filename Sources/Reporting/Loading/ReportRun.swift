import RunFile

/// One run file as reports and comparisons use it: everything but the weights (their
/// digests are enough), and the digests as stored.
public struct ReportRun: Equatable {
    /// The path the file was read from.
    public var path: String
    /// The run's record; every `MethodRecord.weights` is empty.
    public var record: RunRecord
    /// `/digests` as stored.
    public var storedDigests: RunDigests

    public init(path: String, record: RunRecord, storedDigests: RunDigests) {
        self.path = path; self.record = record; self.storedDigests = storedDigests
    }

    /// Reads the run file at `path` without its weights. Throws `RunFileError` or
    /// `HDF5Error` (both name the file) for a missing, damaged or foreign file.
    public static func load(path: String) throws -> ReportRun {
        let reader = try RunFileReader(path: path)
        let record = RunRecord(
            status: reader.status, experiment: reader.experiment, seed: reader.seed, specPath: try reader.specPath(),
            specText: try reader.specText(), provenance: try reader.provenance(), dataset: try reader.dataset(),
            evaluation: try reader.evaluation(),
            methods: try reader.methodNames().map { try reader.method($0, weights: false) },
            rows: try reader.rows(), sweepPoint: try reader.sweepPoint(), validation: try reader.validation())
        return ReportRun(path: path, record: record, storedDigests: try reader.digests())
    }
}
