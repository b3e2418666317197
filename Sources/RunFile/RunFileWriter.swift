import DatasetKit
import Storage

/// Writes a `RunRecord` as a run file (layout: `RunFileFormat`), atomically: the file is
/// built under a temporary name and renamed onto `path` when complete, so a reader never
/// sees half a file and an existing file at `path` stays as it was if anything fails.
public enum RunFileWriter {
    private typealias K = RunFileKey

    /// Writes `record` to `path`, replacing a file there; returns the digests it stored.
    @discardableResult
    public static func write(_ record: RunRecord, to path: String) throws -> RunDigests {
        for method in record.methods {
            for name in method.weights.map(\.name) + Array(method.history.keys) where name.isEmpty || name.contains("/") {
                throw RunFileError.invalid(file: path, path: "/\(K.Method.group)/\(method.name)",
                                           reason: "array name '\(name)' is empty or holds '/'")
            }
        }
        let digests = record.digests
        do {
            try writeFile(record, digests: digests, to: path)
        } catch HDF5Error.writeFailed(_, let reason) {
            throw RunFileError.cannotWrite(file: path, reason: reason)
        }
        return digests
    }

    /// The file itself (with `digests`, the record's, computed once), written atomically.
    private static func writeFile(_ record: RunRecord, digests: RunDigests, to path: String) throws {
        try HDF5File.writeAtomically(to: path) { root in
            try writeRoot(record, root)
            try writeProvenance(record.provenance, try root.createGroup(K.Provenance.group))
            let spec = try root.write(string: record.specText, to: K.Spec.dataset)
            try spec.setAttribute(K.Spec.path, to: record.specPath)
            if let point = record.sweepPoint {
                try spec.setAttribute(K.Spec.sweepKey, to: point.key)
                try spec.setAttribute(K.Spec.sweepValue, to: point.label)
            }
            try writeDataset(record.dataset, try root.createGroup(K.Dataset.group))
            try writeEvaluation(record.evaluation, try root.createGroup(K.Evaluation.group))
            if let validation = record.validation {
                try writeEvaluation(validation, try root.createGroup(K.Evaluation.validationGroup))
            }
            let methods = try root.createGroup(K.Method.group)
            for (index, method) in record.methods.enumerated() {
                try writeMethod(method, index: index, rows: record.rows, try methods.createGroup(method.name))
            }
            let group = try root.createGroup(K.Digests.group)
            try group.setAttribute(K.Digests.weights, to: digests.weights)
            try group.setAttribute(K.Digests.metrics, to: digests.metrics)
            try group.setAttribute(K.Digests.histories, to: digests.histories)
            for (method, digest) in digests.methodWeights.sorted(by: { $0.key < $1.key }) {
                try group.setAttribute(K.Digests.methodWeights(method), to: digest)
            }
            if record.status == .running, let state = record.checkpoint {
                try writeCheckpoint(state, try root.createGroup(K.Checkpoint.group))
            }
        }
    }

    /// `/checkpoint`: a training loop's state (names with `/` become nested groups).
    private static func writeCheckpoint(_ state: TrainingState, _ group: HDF5Group) throws {
        try group.setAttribute(K.Checkpoint.loop, to: state.loop)
        try group.setAttribute(K.Checkpoint.step, to: Int64(state.step))
        try group.setAttribute(K.Checkpoint.seconds, to: state.seconds)
        let arrays = try group.createGroup(K.Checkpoint.arrays)
        for array in state.arrays {
            try nested(arrays, array.name).write(array.values, shape: array.shape, to: leaf(array.name))
        }
        let streams = try group.createGroup(K.Checkpoint.streams)
        for (name, words) in state.streams.sorted(by: { $0.key < $1.key }) {
            try nested(streams, name).write(words, to: leaf(name))
        }
        if let sampler = state.sampler {
            let dataset = try group.write(sampler.stream, to: K.Checkpoint.sampler)
            try dataset.setAttribute(K.Checkpoint.queries, to: Int64(sampler.queries))
            try dataset.setAttribute(K.Checkpoint.dropped, to: Int64(sampler.dropped))
            try dataset.setAttribute(K.Checkpoint.failedTries, to: Int64(sampler.failedTries))
            try dataset.setAttribute(K.Checkpoint.arrivals, to: Int64(sampler.arrivals))
        }
        let history = try group.createGroup(K.Checkpoint.history)
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
        try root.setAttribute(K.Root.format, to: RunFileFormat.name)
        try root.setAttribute(K.Root.formatVersion, to: RunFileFormat.version)
        try root.setAttribute(K.Root.status, to: record.status.rawValue)
        try root.setAttribute(K.Root.experiment, to: record.experiment)
        try root.setAttribute(K.Root.seed, to: record.seed)
        try root.setAttribute(K.Root.created, to: record.provenance.started)
        try root.setAttribute(K.Root.finished, to: record.provenance.finished)
        try root.setAttribute(K.Root.checkpointEvery, to: Int64(record.checkpointInterval))
    }

    private static func writeProvenance(_ p: RunProvenance, _ group: HDF5Group) throws {
        typealias P = K.Provenance
        let strings = [(P.gitCommit, p.gitCommit), (P.swiftVersion, p.swiftVersion), (P.blas, p.blas),
                       (P.blasCore, p.blasCore), (P.cpuModel, p.cpuModel), (P.commandLine, p.commandLine),
                       (P.hostname, p.hostname), (P.os, p.os), (P.started, p.started), (P.finished, p.finished),
                       (P.deeprankVersion, p.deeprankVersion)]
        for (name, value) in strings { try group.setAttribute(name, to: value) }
        if let isa = p.instructionSet { try group.setAttribute(P.instructionSet, to: isa) }
        try group.setAttribute(P.gitDirty, to: Int64(p.gitDirty))
        try group.setAttribute(P.threads, to: Int64(p.threads))
    }

    private static func writeDataset(_ d: DatasetRecord, _ group: HDF5Group) throws {
        typealias D = K.Dataset
        try group.setAttribute(D.kind, to: d.kind)
        try group.setAttribute(D.count, to: Int64(d.count))
        try group.setAttribute(D.categories, to: Int64(d.categoryNames.count))
        try group.setAttribute(D.testFraction, to: d.testFraction)
        try group.setAttribute(D.digest, to: d.digest)
        try group.write(d.train.map(Int64.init), to: D.trainIndices)
        try group.write(d.test.map(Int64.init), to: D.testIndices)
        if d.validationFraction > 0 {
            try group.setAttribute(D.validationFraction, to: d.validationFraction)
            try group.write(d.validation.map(Int64.init), to: D.validationIndices)
        }
        try group.write(d.categories.map(Int64.init), to: D.category)
        try group.write(string: d.categoryNames.joined(separator: "\n"), to: D.categoryNames)
        try group.write(string: d.identifiers.joined(separator: "\n"), to: D.identifiers)
    }

    private static func writeEvaluation(_ e: EvaluationRecord, _ group: HDF5Group) throws {
        typealias E = K.Evaluation
        try group.setAttribute(E.tripletCount, to: Int64(e.triplets.count))
        try group.setAttribute(E.digest, to: e.digest)
        try group.setAttribute(E.source, to: e.source)
        try group.setAttribute(E.topK, to: Int64(e.topK))
        try group.write(e.gridQueries.map(Int64.init), to: E.gridQueries)
        let flat = e.triplets.flatMap { [Int64($0.query), Int64($0.positive), Int64($0.negative)] }
        try group.write(flat, shape: [e.triplets.count, 3], to: E.triplets)
    }

    private static func writeMethod(_ method: MethodRecord, index: Int, rows: [RowRecord], _ group: HDF5Group) throws {
        typealias M = K.Method
        try group.setAttribute(M.type, to: method.type)
        try group.setAttribute(M.index, to: Int64(index))
        try group.setAttribute(M.status, to: method.failure == nil ? M.completed : M.failed)
        if let failure = method.failure { try group.setAttribute(M.reason, to: failure) }
        if let source = method.initialWeights {
            try group.setAttribute(M.initFrom, to: source.path)
            try group.setAttribute(M.initFromSHA256, to: source.sha256)
        }
        let weights = try group.createGroup(M.weights)
        try weights.setAttribute(M.weightsStored, to: Int64(method.weightsStored ? 1 : 0))
        for array in method.weights where method.weightsStored {
            try weights.write(array.values, shape: array.shape, to: array.name)
        }
        let history = try group.createGroup(M.history)
        for (series, values) in method.history.sorted(by: { $0.key < $1.key }) {
            try history.write(values, to: series)
        }
        let rowsGroup = try group.createGroup(M.rows)
        for (rowIndex, row) in rows.enumerated() where row.method == method.name {
            try writeRow(row, index: rowIndex, try rowsGroup.createGroup(row.row))
        }
    }

    private static func writeRow(_ row: RowRecord, index: Int, _ group: HDF5Group) throws {
        typealias R = K.Row
        try group.setAttribute(R.similarityPrecision, to: row.similarityPrecision)
        try group.setAttribute(R.trainingSeconds, to: row.trainingSeconds)
        try group.setAttribute(R.index, to: Int64(index))
        try group.write(row.outcomes, to: R.outcomes)
        for (name, value) in row.metrics.sorted(by: { $0.key < $1.key }) {
            try group.setAttribute(name, to: value)
        }
        try group.write(row.scoreContributions, to: R.scoreContributions)
        let k = row.neighbours.first?.count ?? 0
        guard row.neighbours.allSatisfy({ $0.count == k }) else {
            throw RunFileError.invalid(file: "", path: group.path + "/" + R.neighbours,
                                       reason: "grid queries have different neighbour counts")
        }
        try group.write(row.neighbours.flatMap { $0.map(Int64.init) }, shape: [row.neighbours.count, k],
                        to: R.neighbours)
        if let validation = row.validation {
            let v = try group.createGroup(R.validation)
            try v.setAttribute(R.similarityPrecision, to: validation.similarityPrecision)
            for (name, value) in validation.metrics.sorted(by: { $0.key < $1.key }) {
                try v.setAttribute(name, to: value)
            }
            try v.write(validation.outcomes, to: R.outcomes)
        }
    }
}
