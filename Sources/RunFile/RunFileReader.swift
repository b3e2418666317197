import DatasetKit
import Storage

/// Reads a run file written by `RunFileWriter` (layout: `RunFileFormat`, names: `RunFileKey`).
/// Opening checks the format and version and reads the root attributes; the other parts are
/// read when asked for, so a report need not load every weight. Every error names the file,
/// and a missing part is reported with its path inside the file (`RunFileError.missing`).
public final class RunFileReader {
    private typealias K = RunFileKey

    public let path: String
    public let formatVersion: Int64
    public let status: RunStatus
    public let experiment: String
    public let seed: UInt64
    /// ISO 8601 UTC.
    public let created: String
    public let finished: String
    private let file: HDF5File

    public init(path: String) throws {
        self.path = path
        file = try HDF5File(reading: path)
        let root = file.root
        let format = try root.hasAttribute(K.Root.format) ? try root.stringAttribute(K.Root.format) : nil
        guard format == RunFileFormat.name else { throw RunFileError.notARunFile(file: path, found: format) }
        let fields = Fields(file: path, object: root)
        formatVersion = try fields.scalar(K.Root.formatVersion, as: Int64.self)
        guard formatVersion == RunFileFormat.version else {
            throw RunFileError.unsupportedVersion(file: path, version: formatVersion, supported: RunFileFormat.version)
        }
        let statusText = try fields.string(K.Root.status)
        guard let status = RunStatus(rawValue: statusText) else {
            throw RunFileError.invalid(file: path, path: fields.location(ofAttribute: K.Root.status),
                                       reason: "unknown status '\(statusText)'")
        }
        self.status = status
        experiment = try fields.string(K.Root.experiment)
        seed = try fields.scalar(K.Root.seed, as: UInt64.self)
        created = try fields.string(K.Root.created)
        finished = try fields.string(K.Root.finished)
    }

    /// `/spec`: the spec text as given.
    public func specText() throws -> String {
        try Fields(file: path, object: file.root).text(K.Spec.dataset)
    }

    /// `/spec` attribute `path`: the spec file the run was started with.
    public func specPath() throws -> String {
        try fields(ofDataset: K.Spec.dataset).string(K.Spec.path)
    }

    /// `/spec` attributes `sweep_key` and `sweep_value`: which sweep variant this run is (nil
    /// for a spec without a sweep).
    public func sweepPoint() throws -> SweepPoint? {
        let spec = try fields(ofDataset: K.Spec.dataset)
        guard try spec.object.hasAttribute(K.Spec.sweepKey) else { return nil }
        return SweepPoint(key: try spec.string(K.Spec.sweepKey), label: try spec.string(K.Spec.sweepValue))
    }

    public func provenance() throws -> RunProvenance {
        typealias P = K.Provenance
        let g = try group(P.group)
        func int(_ name: String) throws -> Int { Int(try g.scalar(name, as: Int64.self)) }
        return RunProvenance(
            gitCommit: try g.string(P.gitCommit), gitDirty: try int(P.gitDirty), swiftVersion: try g.string(P.swiftVersion),
            blas: try g.string(P.blas), blasCore: try g.string(P.blasCore), threads: try int(P.threads),
            cpuModel: try g.string(P.cpuModel), commandLine: try g.string(P.commandLine), hostname: try g.string(P.hostname),
            os: try g.string(P.os), started: try g.string(P.started), finished: try g.string(P.finished),
            deeprankVersion: try g.string(P.deeprankVersion),
            instructionSet: try g.object.hasAttribute(P.instructionSet) ? try g.string(P.instructionSet) : nil)
    }

    /// `/dataset`; the stored digest is checked against the stored identifiers.
    public func dataset() throws -> DatasetRecord {
        typealias D = K.Dataset
        let g = try group(D.group)
        func lines(_ name: String) throws -> [String] {
            let text = try g.text(name)
            return text.isEmpty ? [] : text.components(separatedBy: "\n")
        }
        let hasValidation = try g.object.hasAttribute(D.validationFraction)
        let record = DatasetRecord(
            kind: try g.string(D.kind), categoryNames: try lines(D.categoryNames), categories: try g.ints(D.category),
            identifiers: try lines(D.identifiers), testFraction: try g.scalar(D.testFraction, as: Double.self),
            train: try g.ints(D.trainIndices), test: try g.ints(D.testIndices),
            validationFraction: hasValidation ? try g.scalar(D.validationFraction, as: Double.self) : 0,
            validation: hasValidation ? try g.ints(D.validationIndices) : [])
        guard record.categories.count == record.count, try g.string(D.digest) == record.digest else {
            throw RunFileError.invalid(file: path, path: g.location, reason: "the stored digest does not match the stored "
                                       + "identifiers and categories")
        }
        return record
    }

    /// `/evaluation`.
    public func evaluation() throws -> EvaluationRecord {
        try evaluation(in: K.Evaluation.group)
    }

    /// `/validation`: the validation triplets, or nil for a run without a validation part.
    public func validation() throws -> EvaluationRecord? {
        guard try file.root.contains(K.Evaluation.validationGroup) else { return nil }
        return try evaluation(in: K.Evaluation.validationGroup)
    }

    /// `/evaluation` or `/validation`.
    private func evaluation(in name: String) throws -> EvaluationRecord {
        typealias E = K.Evaluation
        let g = try group(name)
        let (flat, shape) = try g.array(E.triplets, as: Int64.self)
        guard shape.count == 2, shape[1] == 3 else {
            throw RunFileError.invalid(file: path, path: g.location(of: E.triplets), reason: "shape \(shape) is not [T, 3]")
        }
        let triplets = stride(from: 0, to: flat.count, by: 3).map {
            Triplet(query: Int(flat[$0]), positive: Int(flat[$0 + 1]), negative: Int(flat[$0 + 2]))
        }
        return EvaluationRecord(triplets: triplets, source: try g.string(E.source), digest: try g.string(E.digest),
                                topK: Int(try g.scalar(E.topK, as: Int64.self)), gridQueries: try g.ints(E.gridQueries))
    }

    /// The method names in spec order.
    public func methodNames() throws -> [String] {
        let methods = try group(K.Method.group)
        let names = try methods.object.childNames()
        let indices = try names.map { try methods.group($0).scalar(K.Method.index, as: Int64.self) }
        return zip(names, indices).sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// `/methods/<name>`: its type, weights (left empty when `weights` is false: reports
    /// need only histories and rows) and history.
    public func method(_ name: String, weights readWeights: Bool = true) throws -> MethodRecord {
        typealias M = K.Method
        let g = try group(M.group).group(name)
        let weightsGroup = try g.group(M.weights)
        let stored = try weightsGroup.scalar(M.weightsStored, as: Int64.self) != 0
        let weights = try (readWeights && stored ? weightsGroup.object.childNames() : []).map { array in
            let (values, shape) = try weightsGroup.array(array, as: Float.self)
            return NamedArray(name: array, shape: shape, values: values)
        }
        let failure = try g.object.hasAttribute(M.reason) ? try g.string(M.reason) : nil
        let initialWeights = try g.object.hasAttribute(M.initFrom)
            ? WeightsSource(path: try g.string(M.initFrom), sha256: try g.string(M.initFromSHA256)) : nil
        return MethodRecord(name: name, type: try g.string(M.type), weights: weights,
                            history: try series(in: try g.group(M.history)), failure: failure, weightsStored: stored,
                            initialWeights: initialWeights)
    }

    /// Every row of the table, in the order the runner scored them.
    public func rows() throws -> [RowRecord] {
        var rows: [(index: Int64, row: RowRecord)] = []
        for method in try methodNames() {
            let group = try self.group(K.Method.group).group(method).group(K.Method.rows)
            for name in try group.object.childNames() {
                let g = try group.group(name)
                rows.append((try g.scalar(K.Row.index, as: Int64.self), try row(method: method, name: name, g)))
            }
        }
        return rows.sorted { $0.index < $1.index }.map(\.row)
    }

    /// `/methods/<method>/rows/<name>`.
    private func row(method: String, name: String, _ g: Fields<HDF5Group>) throws -> RowRecord {
        typealias R = K.Row
        var metrics: [String: Double] = [:]
        for attribute in try g.object.attributeNames() where !R.nonMetricAttributes.contains(attribute) {
            metrics[attribute] = try g.scalar(attribute, as: Double.self)
        }
        var validation: ValidationScores?
        if try g.object.contains(R.validation) {
            let v = try g.group(R.validation)
            var validationMetrics: [String: Double] = [:]
            for attribute in try v.object.attributeNames() where attribute != R.similarityPrecision {
                validationMetrics[attribute] = try v.scalar(attribute, as: Double.self)
            }
            validation = ValidationScores(similarityPrecision: try v.scalar(R.similarityPrecision, as: Double.self),
                                          outcomes: try v.array(R.outcomes, as: Float.self).values,
                                          metrics: validationMetrics)
        }
        let (flatNeighbours, neighbourShape) = try g.array(R.neighbours, as: Int64.self)
        guard neighbourShape.count == 2 else {
            throw RunFileError.invalid(file: path, path: g.location(of: R.neighbours), reason: "shape \(neighbourShape) is not [G, k]")
        }
        let k = neighbourShape[1]
        let neighbours = (0..<neighbourShape[0]).map { q in flatNeighbours[q * k..<(q + 1) * k].map { Int($0) } }
        return RowRecord(
            method: method, row: name, similarityPrecision: try g.scalar(R.similarityPrecision, as: Double.self),
            outcomes: try g.array(R.outcomes, as: Float.self).values,
            trainingSeconds: try g.scalar(R.trainingSeconds, as: Double.self), metrics: metrics,
            scoreContributions: try g.array(R.scoreContributions, as: Float.self).values, neighbours: neighbours,
            validation: validation)
    }

    /// `/digests` as stored (`RunRecord.digests` recomputes them from the values).
    public func digests() throws -> RunDigests {
        typealias D = K.Digests
        let g = try group(D.group)
        var perMethod: [String: String] = [:]
        for name in try g.object.attributeNames() where name.hasPrefix(D.methodWeightsPrefix) {
            perMethod[String(name.dropFirst(D.methodWeightsPrefix.count))] = try g.string(name)
        }
        return RunDigests(weights: try g.string(D.weights), metrics: try g.string(D.metrics),
                          histories: try g.string(D.histories), methodWeights: perMethod)
    }

    /// `/` attribute `checkpoint_every`; files written before it existed used the default
    /// (`RunFileFormat.defaultCheckpointInterval`).
    public func checkpointInterval() throws -> Int {
        guard try file.root.hasAttribute(K.Root.checkpointEvery) else { return RunFileFormat.defaultCheckpointInterval }
        return Int(try Fields(file: path, object: file.root).scalar(K.Root.checkpointEvery, as: Int64.self))
    }

    /// The whole file.
    public func record() throws -> RunRecord {
        var record = RunRecord(status: status, experiment: experiment, seed: seed, specPath: try specPath(), specText: try specText(),
                  provenance: try provenance(), dataset: try dataset(), evaluation: try evaluation(),
                  methods: try methodNames().map { try method($0) }, rows: try rows(), sweepPoint: try sweepPoint(),
                  checkpoint: status == .running ? try checkpoint() : nil, validation: try validation())
        record.checkpointInterval = try checkpointInterval()
        return record
    }

    /// Where a `running` file's checkpoint stands: the training loop and its finished steps
    /// (nil when the run was between methods), without reading the arrays.
    public func checkpointPosition() throws -> (loop: String, step: Int)? {
        typealias C = K.Checkpoint
        guard try file.root.contains(C.group) else { return nil }
        let g = try group(C.group)
        return (try g.string(C.loop), Int(try g.scalar(C.step, as: Int64.self)))
    }

    /// `/checkpoint` of a `running` file: the state of the loop that was training, or nil
    /// when the run was between methods.
    public func checkpoint() throws -> TrainingState? {
        typealias C = K.Checkpoint
        guard try file.root.contains(C.group) else { return nil }
        let g = try group(C.group)
        var arrays: [NamedArray] = []
        try leaves(of: try g.group(C.arrays)) { group, name, path in
            let (values, shape) = try group.array(name, as: Float.self)
            arrays.append(NamedArray(name: path, shape: shape, values: values))
        }
        var streams: [String: [UInt64]] = [:]
        try leaves(of: try g.group(C.streams)) { group, name, path in
            streams[path] = try group.array(name, as: UInt64.self).values
        }
        var sampler: TripletSamplerState?
        if try g.object.contains(C.sampler) {
            let d = Fields(file: path, object: try g.object.dataset(C.sampler))
            func count(_ name: String) throws -> Int { Int(try d.scalar(name, as: Int64.self)) }
            var state = TripletSamplerState(stream: try g.array(C.sampler, as: UInt64.self).values)
            state.queries = try count(C.queries); state.dropped = try count(C.dropped)
            state.failedTries = try count(C.failedTries); state.arrivals = try count(C.arrivals)
            sampler = state
        }
        return TrainingState(
            loop: try g.string(C.loop), step: Int(try g.scalar(C.step, as: Int64.self)), arrays: arrays, streams: streams,
            sampler: sampler, history: try series(in: try g.group(C.history)), seconds: try g.scalar(C.seconds, as: Double.self))
    }

    // MARK: - Parts

    /// The group `name` of the root.
    private func group(_ name: String) throws -> Fields<HDF5Group> {
        try Fields(file: path, object: file.root).group(name)
    }

    /// The attributes of the root's dataset `name`.
    private func fields(ofDataset name: String) throws -> Fields<HDF5Dataset> {
        let root = Fields(file: path, object: file.root)
        return Fields(file: path, object: try root.required(root.location(of: name)) { try root.object.dataset(name) })
    }

    /// Every float32 dataset of `group` by name: a method's or a checkpoint's `history`.
    private func series(in group: Fields<HDF5Group>) throws -> [String: [Float]] {
        var history: [String: [Float]] = [:]
        for series in try group.object.childNames() {
            history[series] = try group.array(series, as: Float.self).values
        }
        return history
    }

    /// Calls `body(group, name, path)` for every dataset below `group`, depth first in name
    /// order; `path` is relative to `group` (`param/deep.fc.weight`).
    private func leaves(of group: Fields<HDF5Group>, at prefix: String = "",
                        _ body: (Fields<HDF5Group>, String, String) throws -> Void) throws {
        for name in try group.object.childNames() {
            let path = prefix.isEmpty ? name : prefix + "/" + name
            if let child = try? group.object.group(name) {
                try leaves(of: Fields(file: self.path, object: child), at: path, body)
            } else {
                try body(group, name, path)
            }
        }
    }
}

/// The attributes and children of one object of a run file, read by name: a name the
/// format requires but the file lacks becomes `RunFileError.missing` with its location
/// (`/dataset attribute kind`, `/dataset/category`), so every key is spelled once.
private struct Fields<Object: HDF5Object> {
    let file: String
    let object: Object

    /// The object's own path.
    var location: String { object.path }

    /// `/dataset attribute kind`.
    func location(ofAttribute attribute: String) -> String { "\(object.path) attribute \(attribute)" }

    /// `/dataset/category`.
    func location(of child: String) -> String { object.path == "/" ? "/" + child : object.path + "/" + child }

    func string(_ attribute: String) throws -> String {
        try required(location(ofAttribute: attribute)) { try object.stringAttribute(attribute) }
    }

    func scalar<T: HDF5Scalar>(_ attribute: String, as type: T.Type) throws -> T {
        try required(location(ofAttribute: attribute)) { try object.attribute(attribute, as: type) }
    }

    /// Runs `body`, turning "not found" from the HDF5 layer into `RunFileError.missing(at)`.
    func required<T>(_ at: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch HDF5Error.notFound {
            throw RunFileError.missing(file: file, path: at)
        }
    }
}

extension Fields where Object == HDF5Group {
    func group(_ name: String) throws -> Fields<HDF5Group> {
        Fields(file: file, object: try required(location(of: name)) { try object.group(name) })
    }

    func array<T: HDF5Scalar>(_ name: String, as type: T.Type) throws -> (values: [T], shape: [Int]) {
        try required(location(of: name)) { try object.read(type, from: name) }
    }

    func ints(_ name: String) throws -> [Int] { try array(name, as: Int64.self).values.map { Int($0) } }

    func text(_ name: String) throws -> String {
        try required(location(of: name)) { try object.readString(from: name) }
    }
}
