import Foundation
import RunFile

/// `deeprank replay`: re-runs a stored run from the spec text and seed it records and
/// compares everything it stored, value by value: the split, the evaluation triplets, every
/// method's weights and histories, and every row's per-triplet outcomes. A network started
/// from a weights file (`init_from`) is replayed only from a file with the recorded digest.
public enum Replay {
    /// The first stored dataset that differs, and how much.
    public struct Difference: Equatable, CustomStringConvertible {
        /// The HDF5 path of the stored dataset, e.g. `/methods/deep-ranking/weights/deep.fc.weight`.
        public var path: String
        /// Max |stored - replayed| over the elements (infinity when the shapes or counts differ).
        public var maxAbsoluteDifference: Double

        public var description: String { "\(path): max |difference| \(maxAbsoluteDifference)" }
    }

    public struct Report {
        public var file: String
        public var stored: RunDigests
        public var replayed: RunDigests
        /// Nil when every stored value was reproduced bit for bit.
        public var firstDifference: Difference?
        public var identical: Bool { firstDifference == nil && stored == replayed }
    }

    /// Replays the run file at `path` on this machine (with the current thread count).
    public static func run(path: String, log: @escaping (String) -> Void = { _ in }) throws -> Report {
        let reader = try RunFileReader(path: path)
        let stored = try reader.record()
        guard stored.status == .complete else { throw RunFileError.notComplete(file: path) }
        // The digests as stored: they stand for weights the file does not keep (`store_weights`).
        let storedDigests = try reader.digests()
        let spec = try StoredModel.spec(of: reader, weightsFiles: .hashed)
        // A network that started from a weights file must start from the same bytes.
        for method in stored.methods {
            guard let recorded = method.initialWeights else { continue }
            let now = spec.methods.first { $0.name == method.name }?.initialWeights
            if now?.sha256 != recorded.sha256 {
                throw WeightsFileError.changed(file: now?.path ?? recorded.path, expected: recorded.sha256,
                                               found: now?.sha256 ?? "none (the spec names no file)")
            }
        }
        // Checkpoints are kept in memory only: they decide which weights a failed method keeps.
        let checkpointing = RunCheckpointing(interval: stored.checkpointInterval, file: path, resume: nil) { _, _ in }
        let result = try ExperimentRunner(log: log, checkpointing: checkpointing).run(try spec.plan(seed: stored.seed))
        let replayed = RunRecord(spec: spec, result: result, dataset: result.dataset,
                                 provenance: .current(commandLine: "deeprank replay \(path)", started: Date()))
        return Report(file: path, stored: storedDigests, replayed: replayed.digests,
                      firstDifference: firstDifference(stored, replayed, storedDigests: storedDigests))
    }

    /// Walks the stored values in file order and returns the first that differs; weights the
    /// file does not keep are compared through their digests.
    static func firstDifference(_ a: RunRecord, _ b: RunRecord, storedDigests: RunDigests? = nil) -> Difference? {
        let replayedDigests = b.digests
        if a.dataset.train != b.dataset.train { return Difference(path: "/dataset/train_indices", maxAbsoluteDifference: .infinity) }
        if a.dataset.test != b.dataset.test { return Difference(path: "/dataset/test_indices", maxAbsoluteDifference: .infinity) }
        if a.dataset.validation != b.dataset.validation {
            return Difference(path: "/dataset/validation_indices", maxAbsoluteDifference: .infinity)
        }
        if a.evaluation.triplets != b.evaluation.triplets {
            return Difference(path: "/evaluation/triplets", maxAbsoluteDifference: .infinity)
        }
        if a.validation?.triplets != b.validation?.triplets {
            return Difference(path: "/validation/triplets", maxAbsoluteDifference: .infinity)
        }
        for (ma, mb) in zip(a.methods, b.methods) {
            if ma.failure != mb.failure {
                return Difference(path: "/methods/\(ma.name) attribute status", maxAbsoluteDifference: .infinity)
            }
            if !ma.weightsStored {
                if storedDigests?.methodWeights[ma.name] != replayedDigests.methodWeights[mb.name] {
                    return Difference(path: "/digests attribute weights.\(ma.name)", maxAbsoluteDifference: .infinity)
                }
            }
            let replayedWeights = Dictionary(mb.weights.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            for w in ma.weights {
                let path = "/methods/\(ma.name)/weights/\(w.name)"
                guard let other = replayedWeights[w.name], other.shape == w.shape else {
                    return Difference(path: path, maxAbsoluteDifference: .infinity)
                }
                if let d = compare(w.values, other.values, path: path) { return d }
            }
            for (series, values) in ma.history.sorted(by: { $0.key < $1.key }) {
                let path = "/methods/\(ma.name)/history/\(series)"
                if let d = compare(values, mb.history[series] ?? [], path: path) { return d }
            }
        }
        if a.methods.map(\.name) != b.methods.map(\.name) {
            return Difference(path: "/methods", maxAbsoluteDifference: .infinity)
        }
        for (ra, rb) in zip(a.rows, b.rows) {
            let path = "/methods/\(ra.method)/rows/\(ra.row)"
            if let d = compare(ra.outcomes, rb.outcomes, path: path + "/outcomes") { return d }
            for (name, value) in ra.metrics.sorted(by: { $0.key < $1.key }) {
                let other = rb.metrics[name] ?? .nan
                if value.bitPattern != other.bitPattern {
                    let gap = abs(value - other)
                    return Difference(path: "\(path) attribute \(name)", maxAbsoluteDifference: gap.isNaN ? .infinity : gap)
                }
            }
            if let d = compare(ra.scoreContributions, rb.scoreContributions, path: path + "/score_contributions") { return d }
            if ra.neighbours != rb.neighbours { return Difference(path: path + "/neighbours", maxAbsoluteDifference: .infinity) }
            if let d = compare(ra.validation, rb.validation, path: path + "/validation") { return d }
        }
        return nil
    }

    /// A row's validation scores: present in both or in neither, then value for value.
    static func compare(_ a: ValidationScores?, _ b: ValidationScores?, path: String) -> Difference? {
        guard let a, let b else { return a == nil && b == nil ? nil : Difference(path: path, maxAbsoluteDifference: .infinity) }
        if let d = compare(a.outcomes, b.outcomes, path: path + "/outcomes") { return d }
        let values = [(RunFileKey.Row.similarityPrecision, a.similarityPrecision, b.similarityPrecision)]
            + a.metrics.sorted(by: { $0.key < $1.key }).map { ($0.key, $0.value, b.metrics[$0.key] ?? .nan) }
        for (name, x, y) in values where x.bitPattern != y.bitPattern {
            let gap = abs(x - y)
            return Difference(path: "\(path) attribute \(name)", maxAbsoluteDifference: gap.isNaN ? .infinity : gap)
        }
        return nil
    }

    static func compare(_ a: [Float], _ b: [Float], path: String) -> Difference? {
        guard a.count == b.count else { return Difference(path: path, maxAbsoluteDifference: .infinity) }
        guard zip(a, b).contains(where: { $0.bitPattern != $1.bitPattern }) else { return nil }
        let worst = zip(a, b).reduce(0.0) { max($0, abs(Double($1.0) - Double($1.1))) }
        return Difference(path: path, maxAbsoluteDifference: worst.isNaN ? .infinity : worst)
    }
}
