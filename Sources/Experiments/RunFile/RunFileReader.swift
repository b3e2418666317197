import DatasetKit
import Methods
import Storage

/// Reads a run file written by `RunFileWriter` (layout: `RunFileFormat`). Opening checks
/// the format and version and reads the root attributes; the other parts are read when
/// asked for, so a report need not load every weight. Every error names the file, and a
/// missing part is reported with its path inside the file (`RunFileError.missing`).
public final class RunFileReader {
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
        let format = try root.hasAttribute("format") ? try root.stringAttribute("format") : nil
        guard format == RunFileFormat.name else { throw RunFileError.notARunFile(file: path, found: format) }
        formatVersion = try Self.required(path, "/ attribute format_version") { try root.attribute("format_version", as: Int64.self) }
        guard formatVersion == RunFileFormat.version else {
            throw RunFileError.unsupportedVersion(file: path, version: formatVersion, supported: RunFileFormat.version)
        }
        let statusText = try Self.required(path, "/ attribute status") { try root.stringAttribute("status") }
        guard let status = RunStatus(rawValue: statusText) else {
            throw RunFileError.invalid(file: path, path: "/ attribute status", reason: "unknown status '\(statusText)'")
        }
        self.status = status
        experiment = try Self.required(path, "/ attribute experiment") { try root.stringAttribute("experiment") }
        seed = try Self.required(path, "/ attribute seed") { try root.attribute("seed", as: UInt64.self) }
        created = try Self.required(path, "/ attribute created") { try root.stringAttribute("created") }
        finished = try Self.required(path, "/ attribute finished") { try root.stringAttribute("finished") }
    }

    /// `/spec`: the spec text as given.
    public func specText() throws -> String {
        try read("/spec") { try file.root.readString(from: "spec") }
    }

    /// `/spec` attribute `path`: the spec file the run was started with.
    public func specPath() throws -> String {
        try read("/spec attribute path") { try file.root.dataset("spec").stringAttribute("path") }
    }

    /// `/spec` attributes `sweep_key` and `sweep_value`: which sweep variant this run is (nil
    /// for a spec without a sweep).
    public func sweepPoint() throws -> SweepPoint? {
        let spec = try read("/spec") { try file.root.dataset("spec") }
        guard try spec.hasAttribute("sweep_key") else { return nil }
        return SweepPoint(key: try read("/spec attribute sweep_key") { try spec.stringAttribute("sweep_key") },
                          label: try read("/spec attribute sweep_value") { try spec.stringAttribute("sweep_value") })
    }

    public func provenance() throws -> RunProvenance {
        let g = try read("/provenance") { try file.root.group("provenance") }
        func s(_ name: String) throws -> String { try read("/provenance attribute \(name)") { try g.stringAttribute(name) } }
        func i(_ name: String) throws -> Int {
            Int(try read("/provenance attribute \(name)") { try g.attribute(name, as: Int64.self) })
        }
        return RunProvenance(
            gitCommit: try s("git_commit"), gitDirty: try i("git_dirty"), swiftVersion: try s("swift_version"),
            blas: try s("blas"), blasCore: try s("blas_core"), threads: try i("threads"), cpuModel: try s("cpu_model"),
            commandLine: try s("command_line"), hostname: try s("hostname"), os: try s("os"), started: try s("started"),
            finished: try s("finished"), deeprankVersion: try s("deeprank_version"))
    }

    /// `/dataset`; the stored digest is checked against the stored identifiers.
    public func dataset() throws -> DatasetRecord {
        let g = try read("/dataset") { try file.root.group("dataset") }
        func ints(_ name: String) throws -> [Int] {
            try read("/dataset/\(name)") { try g.read(Int64.self, from: name).values.map { Int($0) } }
        }
        func lines(_ name: String) throws -> [String] {
            let text = try read("/dataset/\(name)") { try g.readString(from: name) }
            return text.isEmpty ? [] : text.components(separatedBy: "\n")
        }
        let record = DatasetRecord(
            kind: try read("/dataset attribute kind") { try g.stringAttribute("kind") },
            categoryNames: try lines("category_names"), categories: try ints("category"),
            identifiers: try lines("identifiers"),
            testFraction: try read("/dataset attribute test_fraction") { try g.attribute("test_fraction", as: Double.self) },
            train: try ints("train_indices"), test: try ints("test_indices"))
        let digest = try read("/dataset attribute digest") { try g.stringAttribute("digest") }
        guard record.categories.count == record.count, digest == record.digest else {
            throw RunFileError.invalid(file: path, path: "/dataset",
                                       reason: "the stored digest does not match the stored identifiers and categories")
        }
        return record
    }

    /// `/evaluation`.
    public func evaluation() throws -> EvaluationRecord {
        let g = try read("/evaluation") { try file.root.group("evaluation") }
        let (flat, shape) = try read("/evaluation/triplets") { try g.read(Int64.self, from: "triplets") }
        guard shape.count == 2, shape[1] == 3 else {
            throw RunFileError.invalid(file: path, path: "/evaluation/triplets", reason: "shape \(shape) is not [T, 3]")
        }
        let triplets = stride(from: 0, to: flat.count, by: 3).map {
            Triplet(query: Int(flat[$0]), positive: Int(flat[$0 + 1]), negative: Int(flat[$0 + 2]))
        }
        return EvaluationRecord(
            triplets: triplets, source: try read("/evaluation attribute source") { try g.stringAttribute("source") },
            digest: try read("/evaluation attribute digest") { try g.stringAttribute("digest") },
            topK: Int(try read("/evaluation attribute top_k") { try g.attribute("top_k", as: Int64.self) }),
            gridQueries: try read("/evaluation/grid_queries") { try g.read(Int64.self, from: "grid_queries").values.map { Int($0) } })
    }

    /// The method names in spec order.
    public func methodNames() throws -> [String] {
        let methods = try read("/methods") { try file.root.group("methods") }
        let names = try methods.childNames()
        let indices = try names.map { name in
            try read("/methods/\(name) attribute index") { try methods.group(name).attribute("index", as: Int64.self) }
        }
        return zip(names, indices).sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// `/methods/<name>`: its type, weights (left empty when `weights` is false: reports
    /// need only histories and rows) and history.
    public func method(_ name: String, weights readWeights: Bool = true) throws -> MethodRecord {
        let base = "/methods/\(name)"
        let g = try read(base) { try file.root.group("methods/\(name)") }
        let weightsGroup = try read("\(base)/weights") { try g.group("weights") }
        let stored = try read("\(base)/weights attribute stored") { try weightsGroup.attribute("stored", as: Int64.self) } != 0
        let weights = try (readWeights && stored ? weightsGroup.childNames() : []).map { array in
            let (values, shape) = try read("\(base)/weights/\(array)") { try weightsGroup.read(Float.self, from: array) }
            return NamedArray(name: array, shape: shape, values: values)
        }
        let historyGroup = try read("\(base)/history") { try g.group("history") }
        var history: [String: [Float]] = [:]
        for series in try historyGroup.childNames() {
            history[series] = try read("\(base)/history/\(series)") { try historyGroup.read(Float.self, from: series).values }
        }
        let failure = try g.hasAttribute("reason") ? try read("\(base) attribute reason") { try g.stringAttribute("reason") } : nil
        return MethodRecord(name: name, type: try read("\(base) attribute type") { try g.stringAttribute("type") },
                            weights: weights, history: history, failure: failure, weightsStored: stored)
    }

    /// Every row of the table, in the order the runner scored them.
    public func rows() throws -> [RowRecord] {
        var rows: [(index: Int64, row: RowRecord)] = []
        for method in try methodNames() {
            let base = "/methods/\(method)/rows"
            let group = try read(base) { try file.root.group("methods/\(method)/rows") }
            for name in try group.childNames() {
                let at = "\(base)/\(name)"
                let g = try group.group(name)
                var metrics: [String: Double] = [:]
                for attribute in try g.attributeNames() where !Self.rowAttributes.contains(attribute) {
                    metrics[attribute] = try read("\(at) attribute \(attribute)") { try g.attribute(attribute, as: Double.self) }
                }
                let (flatNeighbours, neighbourShape) = try read("\(at)/neighbours") { try g.read(Int64.self, from: "neighbours") }
                guard neighbourShape.count == 2 else {
                    throw RunFileError.invalid(file: path, path: "\(at)/neighbours", reason: "shape \(neighbourShape) is not [G, k]")
                }
                let k = neighbourShape[1]
                let neighbours = (0..<neighbourShape[0]).map { q in flatNeighbours[q * k..<(q + 1) * k].map { Int($0) } }
                let row = RowRecord(
                    method: method, row: name,
                    similarityPrecision: try read("\(at) attribute similarity_precision") {
                        try g.attribute("similarity_precision", as: Double.self) },
                    outcomes: try read("\(at)/outcomes") { try g.read(Float.self, from: "outcomes").values },
                    trainingSeconds: try read("\(at) attribute training_seconds") {
                        try g.attribute("training_seconds", as: Double.self) },
                    metrics: metrics,
                    scoreContributions: try read("\(at)/score_contributions") {
                        try g.read(Float.self, from: "score_contributions").values },
                    neighbours: neighbours)
                rows.append((try read("\(at) attribute index") { try g.attribute("index", as: Int64.self) }, row))
            }
        }
        return rows.sorted { $0.index < $1.index }.map(\.row)
    }

    /// Attributes of a row group that are not entries of `RowRecord.metrics`.
    static let rowAttributes: Set<String> = ["similarity_precision", "training_seconds", "index"]

    /// `/digests` as stored (`RunRecord.digests` recomputes them from the values).
    public func digests() throws -> RunDigests {
        let g = try read("/digests") { try file.root.group("digests") }
        func s(_ name: String) throws -> String { try read("/digests attribute \(name)") { try g.stringAttribute(name) } }
        var perMethod: [String: String] = [:]
        for name in try g.attributeNames() where name.hasPrefix("weights.") {
            perMethod[String(name.dropFirst("weights.".count))] = try s(name)
        }
        return RunDigests(weights: try s("weights"), metrics: try s("metrics"), histories: try s("histories"),
                          methodWeights: perMethod)
    }

    /// `/` attribute `checkpoint_every`; files written before it existed used the default, 50.
    public func checkpointInterval() throws -> Int {
        guard try file.root.hasAttribute("checkpoint_every") else { return SpecRunner.defaultCheckpointInterval }
        return Int(try read("/ attribute checkpoint_every") { try file.root.attribute("checkpoint_every", as: Int64.self) })
    }

    /// The whole file.
    public func record() throws -> RunRecord {
        var record = RunRecord(status: status, experiment: experiment, seed: seed, specPath: try specPath(), specText: try specText(),
                  provenance: try provenance(), dataset: try dataset(), evaluation: try evaluation(),
                  methods: try methodNames().map { try method($0) }, rows: try rows(), sweepPoint: try sweepPoint(),
                  checkpoint: status == .running ? try checkpoint() : nil)
        record.checkpointInterval = try checkpointInterval()
        return record
    }

    /// `/checkpoint` of a `running` file: the state of the loop that was training, or nil
    /// when the run was between methods.
    public func checkpoint() throws -> TrainingState? {
        guard try file.root.contains("checkpoint") else { return nil }
        let g = try file.root.group("checkpoint")
        let base = "/checkpoint"
        var arrays: [NamedArray] = []
        try leaves(of: try read("\(base)/arrays") { try g.group("arrays") }, at: "") { group, name, path in
            let (values, shape) = try read("\(base)/arrays/\(path)") { try group.read(Float.self, from: name) }
            arrays.append(NamedArray(name: path, shape: shape, values: values))
        }
        var streams: [String: [UInt64]] = [:]
        try leaves(of: try read("\(base)/streams") { try g.group("streams") }, at: "") { group, name, path in
            streams[path] = try read("\(base)/streams/\(path)") { try group.read(UInt64.self, from: name).values }
        }
        var sampler: TripletSamplerState?
        if try g.contains("sampler") {
            let d = try g.dataset("sampler")
            func count(_ name: String) throws -> Int {
                Int(try read("\(base)/sampler attribute \(name)") { try d.attribute(name, as: Int64.self) })
            }
            var state = TripletSamplerState(stream: try g.read(UInt64.self, from: "sampler").values)
            state.queries = try count("queries"); state.dropped = try count("dropped")
            state.failedTries = try count("failed_tries"); state.arrivals = try count("arrivals")
            sampler = state
        }
        let historyGroup = try read("\(base)/history") { try g.group("history") }
        var history: [String: [Float]] = [:]
        for series in try historyGroup.childNames() {
            history[series] = try read("\(base)/history/\(series)") { try historyGroup.read(Float.self, from: series).values }
        }
        return TrainingState(
            loop: try read("\(base) attribute loop") { try g.stringAttribute("loop") },
            step: Int(try read("\(base) attribute step") { try g.attribute("step", as: Int64.self) }),
            arrays: arrays, streams: streams, sampler: sampler, history: history,
            seconds: try read("\(base) attribute seconds") { try g.attribute("seconds", as: Double.self) })
    }

    /// Calls `body(group, name, path)` for every dataset below `group`, depth first in name
    /// order; `path` is relative to where the walk started (`param/deep.fc.weight`).
    private func leaves(of group: HDF5Group, at prefix: String, _ body: (HDF5Group, String, String) throws -> Void) throws {
        for name in try group.childNames() {
            let path = prefix.isEmpty ? name : prefix + "/" + name
            if let child = try? group.group(name) {
                try leaves(of: child, at: path, body)
            } else {
                try body(group, name, path)
            }
        }
    }

    // MARK: - Errors

    /// Runs `body`, turning "not found" from the HDF5 layer into `RunFileError.missing(path)`.
    private func read<T>(_ where_: String, _ body: () throws -> T) throws -> T {
        try Self.required(path, where_, body)
    }

    private static func required<T>(_ file: String, _ where_: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch HDF5Error.notFound {
            throw RunFileError.missing(file: file, path: where_)
        }
    }
}
