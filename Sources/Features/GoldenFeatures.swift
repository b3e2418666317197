import DatasetKit
import TensorKit

/// The "golden" feature (the paper's Table 1, row "Golden features"): the concatenation of
/// several hand-crafted features, compared with the weighted sum of their own distances,
///
///     D(a, b) = sum_k w_k d_k(a_k, b_k),   w_k >= 0,
///
/// where `a_k` is component `k`'s segment of the concatenated vector. The weights are
/// learned on training triplets by `learnWeights` (see `GoldenWeightLearning`). The
/// segment layout depends on the image size, so a golden feature is built for one size.
public struct GoldenFeatures: FeatureExtractor {
    public let components: [HandCraftedFeature]
    /// `w_k`, one per component (initially all 1).
    public private(set) var weights: [Float]
    /// Component `k`'s range in the concatenated vector.
    public let segments: [Range<Int>]
    public let height: Int
    public let width: Int

    public var name: String { "golden" }

    public init(components: [HandCraftedFeature], height: Int, width: Int) throws(FeatureError) {
        guard !components.isEmpty else {
            throw .invalidParameter(name: "golden.components", value: "[]", allowed: "at least one feature")
        }
        var segments: [Range<Int>] = []
        var start = 0
        for component in components {
            let length = try component.extractor.dimension(height: height, width: width)
            segments.append(start..<(start + length))
            start += length
        }
        self.components = components
        self.segments = segments
        self.weights = [Float](repeating: 1, count: components.count)
        self.height = height
        self.width = width
    }

    /// Sets the weights (e.g. restored from a run file); they must be non-negative, not all 0.
    public mutating func setWeights(_ weights: [Float]) throws(FeatureError) {
        guard weights.count == components.count else {
            throw .dimensionMismatch(what: "golden weights", expected: components.count, actual: weights.count)
        }
        guard weights.allSatisfy({ $0 >= 0 && $0.isFinite }), weights.contains(where: { $0 > 0 }) else {
            throw .invalidParameter(name: "golden.weights", value: "\(weights)",
                                    allowed: "finite, non-negative, not all zero")
        }
        self.weights = weights
    }

    public func dimension(height: Int, width: Int) throws(FeatureError) -> Int {
        guard height == self.height && width == self.width else {
            throw .invalidParameter(name: "golden image size", value: "\(height)x\(width)",
                                    allowed: "\(self.height)x\(self.width), the size this golden feature was built for")
        }
        return segments.last!.upperBound
    }

    public func extract(_ image: PlanarImage, into output: UnsafeMutableBufferPointer<Float>,
                        workspace: FeatureWorkspace) throws(FeatureError) {
        try checkOutput(output, for: image)
        for (component, segment) in zip(components, segments) {
            let part = UnsafeMutableBufferPointer(rebasing: output[segment])
            try component.extractor.extract(image, into: part, workspace: workspace)
        }
    }

    /// `d_k(a_k, b_k)` for every component, into `distances` (`components.count` values).
    public func componentDistances(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                   into distances: UnsafeMutablePointer<Float>) {
        for (k, segment) in segments.enumerated() {
            distances[k] = components[k].distance(a + segment.lowerBound, b + segment.lowerBound,
                                                  count: segment.count)
        }
    }

    /// `D(a, b) = sum_k w_k d_k(a_k, b_k)`, summed in component order.
    public func distance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>) -> Float {
        var total: Float = 0
        for (k, segment) in segments.enumerated() {
            total += weights[k] * components[k].distance(a + segment.lowerBound, b + segment.lowerBound,
                                                         count: segment.count)
        }
        return total
    }

    /// `D` between two rows of a feature matrix of this golden feature.
    public func distance(_ features: FeatureMatrix, _ i: Int, _ j: Int) -> Float {
        features.values.withUnsafeBufferPointer { p in
            distance(p.baseAddress! + i * features.dimension, p.baseAddress! + j * features.dimension)
        }
    }

    /// Learns the weights on `triplets` (rows of `features`, which this golden feature
    /// extracted) and stores them; see `GoldenWeightLearning` for the objective.
    @discardableResult
    public mutating func learnWeights(features: FeatureMatrix, triplets: [Triplet],
                                      learning: GoldenWeightLearning,
                                      stream: inout RandomStream) throws(FeatureError) -> GoldenWeightFit {
        let dimension = segments.last!.upperBound
        guard features.dimension == dimension else {
            throw .dimensionMismatch(what: "golden feature matrix", expected: dimension, actual: features.dimension)
        }
        guard !triplets.isEmpty else {
            throw .invalidParameter(name: "golden training triplets", value: "0", allowed: "at least one triplet")
        }
        for t in triplets { try t.checkRange(rows: features.rows) }
        let k = components.count
        var differences = [Float](repeating: 0, count: triplets.count * k)
        var positive = [Float](repeating: 0, count: k), negative = [Float](repeating: 0, count: k)
        features.values.withUnsafeBufferPointer { p in
            let base = p.baseAddress!
            for (t, triplet) in triplets.enumerated() {
                let q = base + triplet.query * dimension
                componentDistances(q, base + triplet.positive * dimension, into: &positive)
                componentDistances(q, base + triplet.negative * dimension, into: &negative)
                for c in 0..<k { differences[t * k + c] = negative[c] - positive[c] }
            }
        }
        let fit = try learning.learn(differences: differences, components: k, stream: &stream)
        weights = fit.weights
        return fit
    }
}
