import DatasetKit
import Evaluation
import Features

/// The representation of a folder of images under one row of a trained run (`deeprank
/// embed`): one vector per image, in the order of `paths`, and how two vectors compare.
/// Every representation we have depends on its image alone, so an image gets the vector the
/// trained method gives it (the run's evaluation pipeline: resize, centre, normalise; no
/// shift), whatever other images it is embedded with (`StoredModel.ranker`). One caveat:
/// the run's own evaluation does not pad its last batch, so a network's vector for an image
/// that fell into an odd-sized last row block there may differ from this one in the last bits.
///
/// Stored as an embeddings file by `EmbeddingFile`.
public struct Embedding: Equatable, Sendable {
    /// The folder as given; `paths` are relative to it.
    public var root: String
    public var paths: [String]
    public var dimension: Int
    /// `[paths.count, dimension]`, row after row.
    public var vectors: [Float]
    /// `Comparison.name` of the row's comparison (`squared-l2`, `bilinear`, `custom:golden`).
    public var comparison: String
    /// For `bilinear`: W, row-major `[dimension, dimension]`; similarity = a^T W b.
    public var bilinearWeights: [Float]?
    /// Where the model came from.
    public var source: Source

    /// The run and row an embedding was computed with.
    public struct Source: Equatable, Sendable {
        /// The run file as given.
        public var runFile: String
        public var experiment: String
        public var seed: UInt64
        public var method: String
        public var row: String
        /// The run's stored weights digest (every method) and the row's method's own.
        public var weightsDigest: String
        public var methodWeightsDigest: String

        public init(runFile: String, experiment: String, seed: UInt64, method: String, row: String,
                    weightsDigest: String, methodWeightsDigest: String) {
            self.runFile = runFile; self.experiment = experiment; self.seed = seed; self.method = method
            self.row = row; self.weightsDigest = weightsDigest; self.methodWeightsDigest = methodWeightsDigest
        }

        /// The source of embeddings made with `model`.
        public init(_ model: StoredModel) {
            self.init(runFile: model.file, experiment: model.experiment, seed: model.seed, method: model.method,
                      row: model.row, weightsDigest: model.digests.weights,
                      methodWeightsDigest: model.digests.methodWeights[model.method] ?? "")
        }
    }

    public init(root: String, paths: [String], dimension: Int, vectors: [Float], comparison: String,
                bilinearWeights: [Float]?, source: Source) {
        precondition(vectors.count == paths.count * dimension, "\(vectors.count) values for \(paths.count) rows of \(dimension)")
        self.root = root; self.paths = paths; self.dimension = dimension; self.vectors = vectors
        self.comparison = comparison; self.bilinearWeights = bilinearWeights; self.source = source
    }

    /// The images of `dataset` as `model` represents them (`dataset.identifier` gives the paths).
    public init(model: StoredModel, dataset: ImageTreeDataset, log: @escaping (String) -> Void = { _ in }) throws {
        let ranker = try model.ranker(for: dataset, log: log)
        var weights: [Float]?
        if case .bilinear(let w) = ranker.comparison { weights = w }
        self.init(root: dataset.root, paths: (0..<dataset.count).map(dataset.identifier(of:)), dimension: ranker.dimension,
                  vectors: ranker.vectors, comparison: ranker.comparison.name, bilinearWeights: weights,
                  source: Source(model))
    }

    /// Every PNG and JPEG below `folder` (`ImageTreeDataset`: recursive, sorted paths) as
    /// `model` represents them.
    ///
    /// An unreadable image fails the whole call, naming the file, unless `skipUnreadable`:
    /// then every image is decoded once beforehand, the unreadable ones are left out with a
    /// `warn`ing each, and only an empty remainder fails.
    public static func embed(folder: String, with model: StoredModel, skipUnreadable: Bool = false,
                             warn: (String) -> Void = { _ in }, log: @escaping (String) -> Void = { _ in }) throws -> Embedding {
        var dataset = try ImageTreeDataset(root: folder)
        if skipUnreadable {
            var readable: [String] = []
            for i in 0..<dataset.count {
                do {
                    _ = try dataset.image(at: i)
                    readable.append(dataset.identifier(of: i))
                } catch let error as DatasetError {
                    warn("\(error); skipped")
                }
            }
            guard !readable.isEmpty else {
                throw DatasetError.emptyDataset(path: folder, reason: "none of its \(dataset.count) images could be read")
            }
            dataset = try ImageTreeDataset(root: folder, relativePaths: readable)
        }
        return try Embedding(model: model, dataset: dataset, log: log)
    }
}

extension Ranker.Comparison {
    /// How an embeddings file names the comparison: the distance's name (`squared-l2`, `l1`,
    /// `l2`, `chi-square`), `bilinear`, or `custom:<name>` (the golden features' weighted sum).
    public var name: String {
        switch self {
        case .distance(let distance): return distance.rawValue
        case .customDistance(let name, _): return "custom:" + name
        case .bilinear: return "bilinear"
        }
    }
}
