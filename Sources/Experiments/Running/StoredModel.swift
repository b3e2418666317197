import DatasetKit
import Evaluation
import Features
import Methods
import RunFile
import TensorKit

/// A trained method rebuilt from its run file, for using it on new images
/// (`deeprank embed`, `deeprank query`). The stored spec is parsed again (as the sweep
/// variant the run was), the plan's method objects are built for the stored seed, and the
/// method of the requested row gets its stored arrays back (`SimilarityMethod.restore`),
/// after every method it builds on (an OASIS base). Nothing is trained and the training
/// data is not opened.
///
/// `name` is a row (`classifier-penultimate`, `oasis-hog`) or a method with a single row
/// (`deep-ranking`). A method with several rows (the classifier) must be given by row:
/// the rows compare different things, so none is picked silently.
public final class StoredModel {
    /// The run file as given.
    public let file: String
    public let experiment: String
    public let seed: UInt64
    /// The method giving the row, and the row.
    public let method: String
    public let row: String
    /// The run's stored digests (`weights` covers every method; `methodWeights[method]` this one).
    public let digests: RunDigests
    /// The run's image pipeline: evaluation images are resized and centred as in the run.
    public let augmentation: Augmentation
    /// The row's method and the methods it builds on, in plan order (the row's method last),
    /// each with its stored record.
    private let chain: [(method: any SimilarityMethod, record: MethodRecord)]
    private var isRestored = false

    /// Reads the run file and finds the row; the weights are restored on first use.
    public init(path: String, name: String) throws {
        let reader = try RunFileReader(path: path)
        guard reader.status == .complete else { throw RunFileError.notComplete(file: path) }
        file = path
        experiment = reader.experiment
        seed = reader.seed
        let (method, row) = try Self.resolve(name, reader: reader)
        self.method = method
        self.row = row
        digests = try reader.digests()
        let plan: ExperimentPlan
        do {
            plan = try Self.spec(of: reader, weightsFiles: .namedOnly).plan(seed: reader.seed)
        } catch let error as RunFileError {
            throw error
        } catch {
            throw RunFileError.invalid(file: path, path: "/spec", reason: "the stored spec does not build a plan: \(error)")
        }
        augmentation = plan.augmentation
        guard let target = plan.methods.first(where: { $0.name == method }) else {
            throw RunFileError.invalid(file: path, path: "/spec", reason: "the stored spec has no method '\(method)'")
        }
        let needed = Set(Self.dependencies(of: target).map(ObjectIdentifier.init))
        var chain: [(method: any SimilarityMethod, record: MethodRecord)] = []
        for candidate in plan.methods where needed.contains(ObjectIdentifier(candidate)) {
            let record = try reader.method(candidate.name)
            if let failure = record.failure {
                throw EmbeddingError.methodFailed(file: path, method: candidate.name, reason: failure,
                                                  requiredBy: candidate === target ? nil : target.name)
            }
            chain.append((candidate, record))
        }
        self.chain = chain
    }

    /// The representation of every image of `dataset` (one or more images), in index
    /// order, as the row ranks them in the run: one vector per image and the row's
    /// comparison. Restores the stored weights on the first call (golden features take
    /// their input size from an image of `dataset`).
    ///
    /// The vector of an image does not depend on the other images: networks embed in full
    /// batches, padding the last one (`NetworkEmbedding`), so an image embedded alone gets
    /// the bits it gets among the run's test images.
    public func ranker(for dataset: any ImageDataset, log: @escaping (String) -> Void = { _ in }) throws -> Ranker {
        let all = Array(0..<dataset.count)
        let streams = RandomStreams(seed: seed)
        func context(_ method: any SimilarityMethod) -> MethodContext {
            MethodContext(dataset: dataset, split: DatasetSplit(train: all, test: []), streams: streams.child(method.name),
                          augmentation: augmentation, log: log)
        }
        if !isRestored {
            for (method, record) in chain {
                guard record.weightsStored else {
                    throw EmbeddingError.cannotRestore(
                        file: file, method: method.name,
                        reason: "the run file does not keep its weights (the spec's store_weights); only their digest. "
                            + "Run the spec with store_weights: all to use the model")
                }
                do {
                    try method.restore(arrays: record.weights, history: record.history, context: context(method))
                } catch let error as MethodError {
                    throw EmbeddingError.cannotRestore(file: file, method: method.name, reason: error.description)
                }
            }
            isRestored = true
        }
        let target = chain[chain.count - 1].method
        let rankers: [(row: String, ranker: Ranker)]
        do {
            rankers = try target.rankers(for: all, context: context(target))
        } catch let error as DatasetImageError where error.underlying is DatasetError {
            throw error.underlying  // names the image file
        } catch let error where !(error is DatasetError) {
            // Feature extraction reports an image it could not read by its index only:
            // decoding it again gives the DatasetError naming the file.
            if case FeatureError.imageUnavailable(let index, _) = error, (0..<dataset.count).contains(index) {
                _ = try dataset.image(at: index)
            }
            throw EmbeddingError.cannotEmbed(file: file, method: method, reason: "\(error)")
        }
        guard let ranker = rankers.first(where: { $0.row == row })?.ranker else {
            throw EmbeddingError.cannotEmbed(file: file, method: method, reason: "the rebuilt method gives no row '\(row)'")
        }
        return ranker
    }

    // MARK: - Finding the row

    /// `(method, row)` for `name`, a row or a single-row method of the run.
    static func resolve(_ name: String, reader: RunFileReader) throws -> (method: String, row: String) {
        let rows = try reader.rows()
        if let row = rows.first(where: { $0.row == name }) { return (row.method, row.row) }
        let methods = try reader.methodNames()
        // A failed method has no rows; `<method>-<row>` may name one of the rows it would have had.
        let failedCandidate = methods.contains(name) ? name : methods.first { name.hasPrefix($0 + "-") }
        if let candidate = failedCandidate, let failure = try reader.method(candidate, weights: false).failure {
            throw EmbeddingError.methodFailed(file: reader.path, method: candidate, reason: failure, requiredBy: nil)
        }
        if methods.contains(name) {
            let own = rows.filter { $0.method == name }.map(\.row)
            guard own.count == 1 else {
                if own.isEmpty {
                    throw RunFileError.invalid(file: reader.path, path: "/methods/\(name)/rows", reason: "the method has no rows")
                }
                throw EmbeddingError.ambiguousMethod(file: reader.path, method: name, rows: own)
            }
            return (name, own[0])
        }
        let names = rows.map(\.row)
        throw EmbeddingError.unknownRow(file: reader.path, name: name, rows: names,
                                        suggestion: Suggestion.closest(to: name, in: names + methods))
    }

    /// The stored spec, as the sweep variant the run was; `weightsFiles` as `SpecParser.parse`.
    static func spec(of reader: RunFileReader, weightsFiles: WeightsFileReading) throws -> ExperimentSpec {
        let spec = try SpecParser.parse(text: try reader.specText(), path: try reader.specPath(), weightsFiles: weightsFiles)
        guard let point = try reader.sweepPoint() else { return spec }
        guard let variant = spec.sweep?.variants.first(where: { $0.sweepPoint == point }) else {
            throw RunFileError.missing(file: reader.path, path: "/spec: sweep variant \(point.key) = \(point.label) in the stored spec")
        }
        return variant
    }

    /// `method` and every method it builds on (an OASIS base, recursively).
    static func dependencies(of method: any SimilarityMethod) -> [any SimilarityMethod] {
        guard let oasis = method as? OASISMethod else { return [method] }
        return dependencies(of: oasis.base) + [method]
    }
}
