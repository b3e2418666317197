import DatasetKit
import Evaluation
import Features
import RunFile
import TensorKit

/// OASIS (Chechik et al. 2010; README, "The paper in brief") on top of another method's
/// representation: hand-crafted features (Table 1, "OASIS on L1HashKPCA") or the
/// single-scale ranking network's embeddings (Table 2, "OASIS on single-scale ranking").
/// The base is trained first unless the experiment already trained it (the same object
/// listed earlier); OASIS then learns W on the base's training-split vectors, mapped by
/// `featureMap` (the identity unless the spec asks for another), with triplets from
/// `sampler`, and ranks the mapped vectors by S(p, q) = p^T W q.
public final class OASISMethod: SimilarityMethod {
    public let name: String
    public let base: any SimilarityMethod
    public let parameters: OASISParameters
    public let sampler: SamplerChoice
    public let featureMap: FeatureMap
    public private(set) var oasis: OASIS?
    public private(set) var history: [String: [Float]] = [:]
    private var baseTrained = false

    public init(name: String, base: any SimilarityMethod, parameters: OASISParameters, sampler: SamplerChoice,
                featureMap: FeatureMap = .identity) {
        self.name = name; self.base = base; self.parameters = parameters; self.sampler = sampler
        self.featureMap = featureMap
    }

    public func train(_ context: MethodContext) throws {
        if !base.isTrained {
            try base.train(context.with(streams: context.streams.child("base")))
        }
        let train = context.split.train
        let baseRanker = try mappedBase(for: train, context: context)
        let features = try FeatureMatrix(rows: train.count, dimension: baseRanker.dimension, values: baseRanker.vectors)
        var oasis = try OASIS(dimension: baseRanker.dimension)
        let table = try RelevanceTable(dataset: context.dataset, subset: train)
        var triplets = try sampler.make(table: table, streams: context.streams)
        var row: [Int: Int] = [:]
        for (r, index) in train.enumerated() { row[index] = r }
        let report = try oasis.train(features: features, parameters: parameters) {
            let t = try triplets.batch(1)[0]
            return Triplet(query: row[t.query]!, positive: row[t.positive]!, negative: row[t.negative]!)
        }
        history[.loss] = report.meanLoss
        context.log("\(name): OASIS on \(base.name) (\(baseRanker.dimension) dims), \(report.updates) updates in \(report.steps) steps")
        self.oasis = oasis
    }

    public var isTrained: Bool { oasis != nil }

    /// Needs its base restored (or trained) first: the experiment lists the base earlier.
    public func restore(arrays: [NamedArray], history: [String: [Float]], context: MethodContext) throws {
        guard base.isTrained else {
            throw MethodError.badCheckpoint(method: name, reason: "its base \(base.name) is not restored")
        }
        guard let w = arrays.first(where: { $0.name == "oasis.W" }), w.shape.count == 2, w.shape[0] == w.shape[1] else {
            throw MethodError.badCheckpoint(method: name, reason: "oasis.W is missing or not square")
        }
        oasis = try OASIS(dimension: w.shape[0], matrix: w.values)
        self.history = history
    }

    public func rankers(for indices: [Int], context: MethodContext) throws -> [(row: String, ranker: Ranker)] {
        guard let oasis else { throw MethodError.notTrained(method: name) }
        let baseRanker = try mappedBase(for: indices, context: context)
        return [(name, Ranker(indices: indices, dimension: baseRanker.dimension, vectors: baseRanker.vectors,
                              comparison: .bilinear(weights: oasis.matrix)))]
    }

    /// The base's vectors for `indices` (row after row, `dimension` each), mapped by `featureMap`.
    private func mappedBase(for indices: [Int], context: MethodContext) throws -> (dimension: Int, vectors: [Float]) {
        guard let ranker = try base.rankers(for: indices, context: context).first?.ranker else {
            throw MethodError.invalidSetting(method: name, key: "base", reason: "\(base.name) produced no representation")
        }
        do {
            return (ranker.dimension, try featureMap.apply(ranker.vectors, what: "\(name)'s base \(base.name)"))
        } catch {
            throw MethodError.invalidSetting(method: name, key: "feature_map", reason: "\(error)")
        }
    }

    public var learnedArrays: [NamedArray] {
        guard let oasis else { return [] }
        return [NamedArray(name: "oasis.W", shape: [oasis.dimension, oasis.dimension], values: oasis.matrix)]
    }
}
