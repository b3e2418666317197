import DatasetKit
import Evaluation
import Features
import RunFile

/// A hand-crafted feature with its distance (the paper's Table 1: colour, wavelet, HOG,
/// texture). Nothing to train.
public final class HandcraftedMethod: SimilarityMethod {
    public let name: String
    public let feature: HandCraftedFeature
    public var history: [String: [Float]] { [:] }
    public var learnedArrays: [NamedArray] { [] }

    public init(name: String, feature: HandCraftedFeature) {
        self.name = name
        self.feature = feature
    }

    public var isTrained: Bool { true }

    public func train(_ context: MethodContext) throws {}

    public func restore(arrays: [NamedArray], history: [String: [Float]], context: MethodContext) throws {}

    public func rankers(for indices: [Int], context: MethodContext) throws -> [(row: String, ranker: Ranker)] {
        let features = try FeatureRows.matrix(feature.extractor, indices: indices, context: context)
        return [(name, Ranker(indices: indices, dimension: features.dimension, vectors: features.values,
                              comparison: .distance(feature.distance)))]
    }
}
