import DatasetKit
import Methods
import Storage

/// Writes a `RunRecord` as a run file (layout: `RunFileFormat`), atomically: the file is
/// built under a temporary name and renamed onto `path` when complete, so a reader never
/// sees half a file and an existing file at `path` stays as it was if anything fails.
public enum RunFileWriter {
    /// Writes `record` to `path`, replacing a file there; returns the digests it stored.
    @discardableResult
    public static func write(_ record: RunRecord, to path: String) throws -> RunDigests {
        for method in record.methods {
            for name in method.weights.map(\.name) + Array(method.history.keys) where name.isEmpty || name.contains("/") {
                throw RunFileError.invalid(file: path, path: "/methods/\(method.name)",
                                           reason: "array name '\(name)' is empty or holds '/'")
            }
        }
        let digests = record.digests
        try HDF5File.writeAtomically(to: path) { root in
            try writeRoot(record, root)
            try writeProvenance(record.provenance, try root.createGroup("provenance"))
            let spec = try root.write(string: record.specText, to: "spec")
            try spec.setAttribute("path", to: record.specPath)
            if let point = record.sweepPoint {
                try spec.setAttribute("sweep_key", to: point.key)
                try spec.setAttribute("sweep_value", to: point.label)
            }
            try writeDataset(record.dataset, try root.createGroup("dataset"))
            try writeEvaluation(record.evaluation, try root.createGroup("evaluation"))
            let methods = try root.createGroup("methods")
            for (index, method) in record.methods.enumerated() {
                try writeMethod(method, index: index, rows: record.rows, try methods.createGroup(method.name))
            }
            let group = try root.createGroup("digests")
            try group.setAttribute("weights", to: digests.weights)
            try group.setAttribute("metrics", to: digests.metrics)
            try group.setAttribute("histories", to: digests.histories)
            for (method, digest) in digests.methodWeights.sorted(by: { $0.key < $1.key }) {
                try group.setAttribute("weights.\(method)", to: digest)
            }
            if record.status == .running, let state = record.checkpoint {
                try writeCheckpoint(state, try root.createGroup("checkpoint"))
            }
        }
        return digests
    }

    /// `/checkpoint`: a training loop's state (names with `/` become nested groups).
    private static func writeCheckpoint(_ state: TrainingState, _ group: HDF5Group) throws {
        try group.setAttribute("loop", to: state.loop)
        try group.setAttribute("step", to: Int64(state.step))
        try group.setAttribute("seconds", to: state.seconds)
        let arrays = try group.createGroup("arrays")
        for array in state.arrays {
            try nested(arrays, array.name).write(array.values, shape: array.shape, to: leaf(array.name))
        }
        let streams = try group.createGroup("streams")
        for (name, words) in state.streams.sorted(by: { $0.key < $1.key }) {
            try nested(streams, name).write(words, to: leaf(name))
        }
        if let sampler = state.sampler {
            let dataset = try group.write(sampler.stream, to: "sampler")
            try dataset.setAttribute("queries", to: Int64(sampler.queries))
            try dataset.setAttribute("dropped", to: Int64(sampler.dropped))
            try dataset.setAttribute("failed_tries", to: Int64(sampler.failedTries))
            try dataset.setAttribute("arrivals", to: Int64(sampler.arrivals))
        }
        let history = try group.createGroup("history")
        for (series, values) in state.history.sorted(by: { $0.key < $1.key }) {
            try history.write(values, to: series)
        }
    }

    /// The group holding `name`'s last component (`param/deep.fc.weight` -> `param`).
    private static func nested(_ group: HDF5Group, _ name: String) throws -> HDF5Group {
        guard let slash = name.lastIndex(of: "/") else { return group }
        return try group.createGroup(String(name[..<slash]))
    }

    private static func leaf(_ name: String) -> String {
        name.lastIndex(of: "/").map { String(name[name.index(after: $0)...]) } ?? name
    }

    private static func writeRoot(_ record: RunRecord, _ root: HDF5Group) throws {
        try root.setAttribute("format", to: RunFileFormat.name)
        try root.setAttribute("format_version", to: RunFileFormat.version)
        try root.setAttribute("status", to: record.status.rawValue)
        try root.setAttribute("experiment", to: record.experiment)
        try root.setAttribute("seed", to: record.seed)
        try root.setAttribute("created", to: record.provenance.started)
        try root.setAttribute("finished", to: record.provenance.finished)
        try root.setAttribute("checkpoint_every", to: Int64(record.checkpointInterval))
    }

    private static func writeProvenance(_ p: RunProvenance, _ group: HDF5Group) throws {
        let strings = [("git_commit", p.gitCommit), ("swift_version", p.swiftVersion), ("blas", p.blas),
                       ("blas_core", p.blasCore), ("cpu_model", p.cpuModel), ("command_line", p.commandLine),
                       ("hostname", p.hostname), ("os", p.os), ("started", p.started), ("finished", p.finished),
                       ("deeprank_version", p.deeprankVersion)]
        for (name, value) in strings { try group.setAttribute(name, to: value) }
        try group.setAttribute("git_dirty", to: Int64(p.gitDirty))
        try group.setAttribute("threads", to: Int64(p.threads))
    }

    private static func writeDataset(_ d: DatasetRecord, _ group: HDF5Group) throws {
        try group.setAttribute("kind", to: d.kind)
        try group.setAttribute("count", to: Int64(d.count))
        try group.setAttribute("categories", to: Int64(d.categoryNames.count))
        try group.setAttribute("test_fraction", to: d.testFraction)
        try group.setAttribute("digest", to: d.digest)
        try group.write(d.train.map(Int64.init), to: "train_indices")
        try group.write(d.test.map(Int64.init), to: "test_indices")
        try group.write(d.categories.map(Int64.init), to: "category")
        try group.write(string: d.categoryNames.joined(separator: "\n"), to: "category_names")
        try group.write(string: d.identifiers.joined(separator: "\n"), to: "identifiers")
    }

    private static func writeEvaluation(_ e: EvaluationRecord, _ group: HDF5Group) throws {
        try group.setAttribute("triplet_count", to: Int64(e.triplets.count))
        try group.setAttribute("digest", to: e.digest)
        try group.setAttribute("source", to: e.source)
        try group.setAttribute("top_k", to: Int64(e.topK))
        try group.write(e.gridQueries.map(Int64.init), to: "grid_queries")
        let flat = e.triplets.flatMap { [Int64($0.query), Int64($0.positive), Int64($0.negative)] }
        try group.write(flat, shape: [e.triplets.count, 3], to: "triplets")
    }

    private static func writeMethod(_ method: MethodRecord, index: Int, rows: [RowRecord], _ group: HDF5Group) throws {
        try group.setAttribute("type", to: method.type)
        try group.setAttribute("index", to: Int64(index))
        try group.setAttribute("status", to: method.failure == nil ? "complete" : "failed")
        if let failure = method.failure { try group.setAttribute("reason", to: failure) }
        let weights = try group.createGroup("weights")
        try weights.setAttribute("stored", to: Int64(method.weightsStored ? 1 : 0))
        for array in method.weights where method.weightsStored {
            try weights.write(array.values, shape: array.shape, to: array.name)
        }
        let history = try group.createGroup("history")
        for (series, values) in method.history.sorted(by: { $0.key < $1.key }) {
            try history.write(values, to: series)
        }
        let rowsGroup = try group.createGroup("rows")
        for (rowIndex, row) in rows.enumerated() where row.method == method.name {
            let rowGroup = try rowsGroup.createGroup(row.row)
            try rowGroup.setAttribute("similarity_precision", to: row.similarityPrecision)
            try rowGroup.setAttribute("training_seconds", to: row.trainingSeconds)
            try rowGroup.setAttribute("index", to: Int64(rowIndex))
            try rowGroup.write(row.outcomes, to: "outcomes")
            for (name, value) in row.metrics.sorted(by: { $0.key < $1.key }) {
                try rowGroup.setAttribute(name, to: value)
            }
            try rowGroup.write(row.scoreContributions, to: "score_contributions")
            let k = row.neighbours.first?.count ?? 0
            guard row.neighbours.allSatisfy({ $0.count == k }) else {
                throw RunFileError.invalid(file: "", path: "/methods/\(method.name)/rows/\(row.row)/neighbours",
                                           reason: "grid queries have different neighbour counts")
            }
            try rowGroup.write(row.neighbours.flatMap { $0.map(Int64.init) }, shape: [row.neighbours.count, k],
                               to: "neighbours")
        }
    }
}
