import TensorKit

/// Learns the non-negative weights of the "golden" combination of feature distances (the
/// paper's golden feature, which gives its relevance r(i, j), is a learned weighted
/// combination of hand-crafted features; README, "The paper in brief"),
/// `D(a, b) = sum_k w_k d_k(a, b)`, from training triplets.
///
/// Input: per triplet `t = (q, p+, p-)` the vector `x_t` with
/// `x_tk = d_k(q, p-) - d_k(q, p+)` (positive when component `k` alone ranks `t` right).
/// Each component is first scaled by `s_k = mean_t |x_tk|` (1 when that is 0), so
/// components with large distances do not dominate the margin: `z_tk = x_tk / s_k`.
///
/// Objective (a linear ranking SVM constrained to non-negative weights):
///
///     min_{v >= 0}  lambda/2 ||v||^2 + (1/T) sum_t max(0, 1 - v . z_t)
///
/// solved by Pegasos (Shalev-Shwartz et al., ICML 2007) with a projection: at step
/// `s = 1...steps` draw `batchSize` triplets uniformly with replacement from the stream
/// (named `golden/weights` by convention, `streamName`), step `eta = 1 / (lambda s)`,
///
///     v <- (1 - eta lambda) v + (eta / batchSize) sum_{t in batch, v . z_t < 1} z_t
///     v <- max(v, 0); then scale v into the ball ||v|| <= 1 / sqrt(lambda)
///
/// (the exact projection onto the orthant-ball intersection). The result is the mean of
/// `v` over the second half of the steps, normalised to sum 1, and mapped back to raw
/// distances: `w_k = v_k / s_k` (so `sum_k w_k s_k = 1`). Arithmetic is Float64 in a fixed
/// order; the same triplets and stream give the same weights on every machine.
public struct GoldenWeightLearning: Codable, Equatable, Sendable {
    /// Conventional name of the stream that draws the mini-batches.
    public static let streamName = "golden/weights"

    /// `lambda`, the L2 regulariser of the scaled weights.
    public var regularization: Double
    /// Pegasos steps.
    public var steps: Int
    /// Triplets per step.
    public var batchSize: Int

    public init(regularization: Double = 1e-3, steps: Int = 4000, batchSize: Int = 32) throws(FeatureError) {
        guard regularization > 0 && regularization.isFinite else {
            throw .invalidParameter(name: "golden.regularization", value: "\(regularization)", allowed: "> 0")
        }
        guard steps >= 2 else { throw .invalidParameter(name: "golden.steps", value: "\(steps)", allowed: ">= 2") }
        guard batchSize >= 1 else {
            throw .invalidParameter(name: "golden.batch_size", value: "\(batchSize)", allowed: ">= 1")
        }
        self.regularization = regularization
        self.steps = steps
        self.batchSize = batchSize
    }

    /// Learns weights from `differences` (`[T, components]`, row-major `x_tk`).
    public func learn(differences: [Float], components: Int,
                      stream: inout RandomStream) throws(FeatureError) -> GoldenWeightFit {
        guard components >= 1, differences.count % components == 0, differences.count > 0 else {
            throw .dimensionMismatch(what: "golden distance differences (\(components) components)",
                                     expected: max(components, 1), actual: differences.count)
        }
        let count = differences.count / components
        var scales = [Double](repeating: 0, count: components)
        for t in 0..<count { for k in 0..<components { scales[k] += abs(Double(differences[t * components + k])) } }
        for k in 0..<components { scales[k] = scales[k] > 0 ? scales[k] / Double(count) : 1 }
        let z = (0..<(count * components)).map { Double(differences[$0]) / scales[$0 % components] }

        let lambda = regularization
        let radius = 1 / lambda.squareRoot()
        var v = [Double](repeating: 0, count: components)
        var step = [Double](repeating: 0, count: components)
        var average = [Double](repeating: 0, count: components)
        let averageFrom = steps / 2 + 1
        for s in 1...steps {
            let eta = 1 / (lambda * Double(s))
            for k in 0..<components { step[k] = 0 }
            for _ in 0..<batchSize {
                let t = stream.nextInt(below: count)
                var margin = 0.0
                for k in 0..<components { margin += v[k] * z[t * components + k] }
                if margin < 1 { for k in 0..<components { step[k] += z[t * components + k] } }
            }
            var norm = 0.0
            for k in 0..<components {
                v[k] = max((1 - eta * lambda) * v[k] + eta / Double(batchSize) * step[k], 0)
                norm += v[k] * v[k]
            }
            norm = norm.squareRoot()
            if norm > radius { for k in 0..<components { v[k] *= radius / norm } }
            if s >= averageFrom { for k in 0..<components { average[k] += v[k] } }
        }
        let total = average.reduce(0, +)
        guard total > 0 else {
            throw .degenerate(what: "golden feature weights",
                              reason: "every weight is 0: no component ranks the training triplets better than chance")
        }
        let scaled = average.map { $0 / total }
        let weights = (0..<components).map { Float(scaled[$0] / scales[$0]) }
        let meanV = average.map { $0 / Double(steps - averageFrom + 1) }

        var correct = 0, loss = 0.0
        for t in 0..<count {
            var score = 0.0, margin = 0.0
            for k in 0..<components {
                score += Double(weights[k]) * Double(differences[t * components + k])
                margin += meanV[k] * z[t * components + k]
            }
            if score > 0 { correct += 1 }
            loss += max(0, 1 - margin)
        }
        return GoldenWeightFit(weights: weights, scales: scales.map { Float($0) },
                               trainingAccuracy: Double(correct) / Double(count),
                               meanHingeLoss: loss / Double(count))
    }
}

/// What `GoldenWeightLearning.learn` found.
public struct GoldenWeightFit: Codable, Equatable, Sendable {
    /// `w_k >= 0`, applied to raw component distances; `sum_k w_k scales_k = 1`.
    public var weights: [Float]
    /// `s_k`, the mean absolute distance difference of component `k` over the triplets.
    public var scales: [Float]
    /// Fraction of training triplets with `sum_k w_k x_tk > 0`.
    public var trainingAccuracy: Double
    /// Mean hinge loss `max(0, 1 - v . z_t)` over the training triplets of the averaged
    /// `v` (before normalisation): the objective's data term, a diagnostic.
    public var meanHingeLoss: Double
}
