import DatasetKit
import Evaluation
import Features
import RunFile
import TensorKit

/// The "golden features" (the paper's Table 1): several hand-crafted features compared by a
/// weighted sum of their distances, the weights learned on training triplets drawn from
/// `sampler` (stream family of the method) by `GoldenWeightLearning`.
public final class GoldenMethod: SimilarityMethod {
    public let name: String
    public let components: [HandCraftedFeature]
    public let learning: GoldenWeightLearning
    public let trainingTriplets: Int
    public let sampler: SamplerChoice
    public private(set) var golden: GoldenFeatures?
    public private(set) var history: [String: [Float]] = [:]

    public init(name: String, components: [HandCraftedFeature], learning: GoldenWeightLearning,
                trainingTriplets: Int, sampler: SamplerChoice) {
        self.name = name; self.components = components; self.learning = learning
        self.trainingTriplets = trainingTriplets; self.sampler = sampler
    }

    public var isTrained: Bool { golden != nil }

    public func train(_ context: MethodContext) throws {
        let train = context.split.train
        let sample = try context.augmentation.prepare(context.dataset.image(at: train[0]))
        var golden = try GoldenFeatures(components: components, height: sample.height, width: sample.width)
        let features = try FeatureRows.matrix(golden, indices: train, context: context)
        let table = try RelevanceTable(dataset: context.dataset, subset: train)
        var triplets = try sampler.make(table: table, streams: context.streams)
        var row: [Int: Int] = [:]
        for (r, index) in train.enumerated() { row[index] = r }
        let drawn = try triplets.batch(trainingTriplets).map {
            Triplet(query: row[$0.query]!, positive: row[$0.positive]!, negative: row[$0.negative]!)
        }
        var stream = context.streams.stream(GoldenWeightLearning.streamName)
        let fit = try golden.learnWeights(features: features, triplets: drawn, learning: learning, stream: &stream)
        context.log("\(name): weights \(golden.weights.map { String(format: "%.3g", $0) }) "
                    + String(format: "(training triplet accuracy %.1f%%)", 100 * fit.trainingAccuracy))
        history["weights"] = golden.weights
        self.golden = golden
    }

    public func restore(arrays: [NamedArray], history: [String: [Float]], context: MethodContext) throws {
        guard let saved = arrays.first(where: { $0.name == "golden.weights" }) else {
            throw MethodError.badCheckpoint(method: name, reason: "golden.weights is missing")
        }
        let sample = try context.augmentation.prepare(context.dataset.image(at: context.split.train[0]))
        var golden = try GoldenFeatures(components: components, height: sample.height, width: sample.width)
        try golden.setWeights(saved.values)
        self.history = history
        self.golden = golden
    }

    public func rankers(for indices: [Int], context: MethodContext) throws -> [(row: String, ranker: Ranker)] {
        guard let golden else { throw MethodError.notTrained(method: name) }
        let features = try FeatureRows.matrix(golden, indices: indices, context: context)
        return [(name, Ranker(indices: indices, dimension: features.dimension, vectors: features.values,
                              comparison: .customDistance(name: "golden") { golden.distance($0, $1) }))]
    }

    public var learnedArrays: [NamedArray] {
        guard let golden else { return [] }
        return [NamedArray(name: "golden.weights", shape: [golden.weights.count], values: golden.weights)]
    }
}
