import TensorKit

/// Beyond the paper: triplets mined from a batch's current embeddings, instead of (or on
/// top of) the paper's relevance-only sampling.
///
/// - `semiHardTriplets`: FaceNet (Schroff, Kalenichenko and Philbin 2015). For every
///   anchor a and valid positive p, the negative n with D(a, p) < D(a, n) < D(a, p) + g
///   ("farther than the positive, within the margin") with the smallest D(a, n); pairs
///   without such a negative give no triplet.
/// - `batchHardTriplets`: Hermans, Beyer and Leibe 2017 ("In Defense of the Triplet
///   Loss"). For every anchor, the hardest positive (largest D(a, p)) and, for that
///   positive, the hardest negative (smallest D(a, n)); anchors without both give none.
///
/// Input: `N` embeddings of dimension `D`, row-major `[N, D]`, and each one's category
/// label. D is the paper's squared Euclidean distance. Triplet indices are positions in
/// the batch (`0..<N`), not dataset indices.
///
/// Graded relevance: `relevance(a, b)` (batch positions, asked only for equal labels;
/// different labels have r = 0; default 1, i.e. categories only). p is a valid positive
/// of a when p != a, labels agree and r(a, p) > 0; n is a valid negative for (a, p) when
/// n differs from both and r(a, p) - r(a, n) >= T_r with r(a, p) > r(a, n) (the samplers'
/// margin rule). With the default relevance this is the usual rule: positives share the
/// label, negatives do not. Ties in distance go to the lowest batch position.
public enum OnlineHardMining {
    /// FaceNet semi-hard triplets; `margin` is the loss gap g (> 0), `relevanceMargin` T_r.
    public static func semiHardTriplets(embeddings: [Float], dimension: Int, labels: [Int], margin: Float,
                                        relevanceMargin: Float = 0,
                                        relevance: ((Int, Int) -> Float)? = nil) throws(SamplingError) -> [Triplet] {
        guard margin > 0 && margin.isFinite else {
            throw .invalidParameter(name: "margin", value: "\(margin)", allowed: "a finite number > 0")
        }
        let mining = try Mining(embeddings: embeddings, dimension: dimension, labels: labels,
                                relevanceMargin: relevanceMargin, relevance: relevance)
        var triplets: [Triplet] = []
        for a in 0..<mining.n {
            for p in 0..<mining.n where mining.isPositive(a, p) {
                let dap = mining.distance(a, p)
                var best = -1
                for q in 0..<mining.n where mining.isNegative(a, p, q) {
                    let daq = mining.distance(a, q)
                    guard daq > dap && daq < dap + margin else { continue }
                    if best < 0 || daq < mining.distance(a, best) { best = q }
                }
                if best >= 0 { triplets.append(Triplet(query: a, positive: p, negative: best)) }
            }
        }
        return triplets
    }

    /// Hermans et al. batch-hard triplets, at most one per anchor.
    public static func batchHardTriplets(embeddings: [Float], dimension: Int, labels: [Int],
                                         relevanceMargin: Float = 0,
                                         relevance: ((Int, Int) -> Float)? = nil) throws(SamplingError) -> [Triplet] {
        let mining = try Mining(embeddings: embeddings, dimension: dimension, labels: labels,
                                relevanceMargin: relevanceMargin, relevance: relevance)
        var triplets: [Triplet] = []
        for a in 0..<mining.n {
            var hardestPositive = -1
            for p in 0..<mining.n where mining.isPositive(a, p) {
                if hardestPositive < 0 || mining.distance(a, p) > mining.distance(a, hardestPositive) {
                    hardestPositive = p
                }
            }
            guard hardestPositive >= 0 else { continue }
            var hardestNegative = -1
            for q in 0..<mining.n where mining.isNegative(a, hardestPositive, q) {
                if hardestNegative < 0 || mining.distance(a, q) < mining.distance(a, hardestNegative) {
                    hardestNegative = q
                }
            }
            if hardestNegative >= 0 {
                triplets.append(Triplet(query: a, positive: hardestPositive, negative: hardestNegative))
            }
        }
        return triplets
    }

    /// `semiHardTriplets` on a `[N, D]` tensor.
    public static func semiHardTriplets(embeddings: Tensor, labels: [Int], margin: Float, relevanceMargin: Float = 0,
                                        relevance: ((Int, Int) -> Float)? = nil) throws(SamplingError) -> [Triplet] {
        try semiHardTriplets(embeddings: embeddings.array, dimension: try dimension(of: embeddings), labels: labels,
                             margin: margin, relevanceMargin: relevanceMargin, relevance: relevance)
    }

    /// `batchHardTriplets` on a `[N, D]` tensor.
    public static func batchHardTriplets(embeddings: Tensor, labels: [Int], relevanceMargin: Float = 0,
                                         relevance: ((Int, Int) -> Float)? = nil) throws(SamplingError) -> [Triplet] {
        try batchHardTriplets(embeddings: embeddings.array, dimension: try dimension(of: embeddings), labels: labels,
                              relevanceMargin: relevanceMargin, relevance: relevance)
    }

    private static func dimension(of embeddings: Tensor) throws(SamplingError) -> Int {
        guard embeddings.shape.count == 2 else {
            throw .shapeMismatch(name: "embeddings", expected: "shape [N, D]", got: "\(embeddings.shape)")
        }
        return embeddings.shape[1]
    }

    /// The batch's distances and the validity rules shared by both miners.
    private struct Mining {
        let n: Int
        let labels: [Int]
        /// Squared Euclidean distances, `[N, N]`, summed in dimension order.
        let distances: [Float]
        /// r(a, b) for equal labels, `[N, N]`; 0 across labels and on the diagonal.
        let relevance: [Float]
        let relevanceMargin: Float

        init(embeddings: [Float], dimension: Int, labels: [Int], relevanceMargin: Float,
             relevance: ((Int, Int) -> Float)?) throws(SamplingError) {
            let n = labels.count
            guard dimension >= 1 else {
                throw .invalidParameter(name: "dimension", value: "\(dimension)", allowed: "an integer >= 1")
            }
            guard embeddings.count == n * dimension else {
                throw .shapeMismatch(name: "embeddings", expected: "\(n) x \(dimension) = \(n * dimension) values "
                                     + "(one row per label)", got: "\(embeddings.count) values")
            }
            guard relevanceMargin >= 0 && relevanceMargin.isFinite else {
                throw .invalidParameter(name: "relevanceMargin (T_r)", value: "\(relevanceMargin)",
                                        allowed: "a finite number >= 0")
            }
            var distances = [Float](repeating: 0, count: n * n)
            var graded = [Float](repeating: 0, count: n * n)
            for a in 0..<n {
                for b in 0..<n where b != a {
                    var sum: Float = 0
                    for k in 0..<dimension {
                        let d = embeddings[a * dimension + k] - embeddings[b * dimension + k]
                        sum += d * d
                    }
                    distances[a * n + b] = sum
                    guard labels[a] == labels[b] else { continue }
                    let r = relevance?(a, b) ?? 1
                    guard r.isFinite && r >= 0 else {
                        throw .invalidRelevance(first: "batch position \(a)", second: "batch position \(b)", value: r)
                    }
                    graded[a * n + b] = r
                }
            }
            self.n = n
            self.labels = labels
            self.distances = distances
            self.relevance = graded
            self.relevanceMargin = relevanceMargin
        }

        func distance(_ a: Int, _ b: Int) -> Float { distances[a * n + b] }

        func isPositive(_ a: Int, _ p: Int) -> Bool {
            p != a && labels[p] == labels[a] && relevance[a * n + p] > 0
        }

        func isNegative(_ a: Int, _ p: Int, _ q: Int) -> Bool {
            let rp = relevance[a * n + p], rq = relevance[a * n + q]
            return q != a && q != p && rp > rq && rp - rq >= relevanceMargin
        }
    }
}
