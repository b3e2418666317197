import DatasetKit
import TensorKit

/// OASIS, Online Algorithm for Scalable Image Similarity (Chechik, Sharma, Shalit and
/// Bengio, JMLR 11, 2010; a baseline in the paper's Tables 1 and 2): a bilinear similarity
///
///     S(p, q) = p^T W q,      W: [D, D], row-major Float32, starts at the identity,
///
/// learned online with passive-aggressive updates on triplets `(q, p+, p-)`:
///
///     l   = max(0, 1 - S(q, p+) + S(q, p-)) = max(0, 1 - q^T W (p+ - p-))
///     V   = q (p+ - p-)^T                    (the gradient of l in W; ||V||_F^2 = ||q||^2 ||p+ - p-||^2)
///     tau = min(C, l / ||V||_F^2)
///     W  <- W + tau V                        (when l > 0)
///
/// (PA-I, the paper's Eq. 6-8). Larger `S` means more similar, so the evaluator ranks by
/// `-S` when it needs a distance. Options, as in the authors' Matlab code: `symmetrizeEvery`
/// replaces W by (W + W^T)/2 every that many steps and after the last (0: never, the
/// default; the paper notes W need not be symmetric or PSD). No averaging of iterates:
/// the final W is the model. Each step is one `sgemv` and one `sger` (O(D^2)); BLAS runs
/// single-threaded, so training is bit-reproducible and independent of `Parallel.threads`.
public struct OASIS: Sendable, Equatable {
    /// Feature dimension D.
    public let dimension: Int
    /// `W`, `[D, D]` row-major.
    public private(set) var matrix: [Float]

    /// The identity model (the OASIS starting point, i.e. the dot product `p . q`).
    public init(dimension: Int) throws(FeatureError) {
        guard dimension >= 1 else {
            throw .invalidParameter(name: "oasis dimension", value: "\(dimension)", allowed: ">= 1")
        }
        self.dimension = dimension
        var identity = [Float](repeating: 0, count: dimension * dimension)
        for i in 0..<dimension { identity[i * dimension + i] = 1 }
        self.matrix = identity
    }

    /// A model with a given W (e.g. restored from a run file), `[D, D]` row-major.
    public init(dimension: Int, matrix: [Float]) throws(FeatureError) {
        try self.init(dimension: dimension)
        guard matrix.count == dimension * dimension else {
            throw .dimensionMismatch(what: "OASIS matrix", expected: dimension * dimension, actual: matrix.count)
        }
        self.matrix = matrix
    }

    /// `S(p, q) = p^T W q`.
    public func similarity(_ p: UnsafePointer<Float>, _ q: UnsafePointer<Float>) -> Float {
        var wq = [Float](repeating: 0, count: dimension)
        matrix.withUnsafeBufferPointer { w in
            BLAS.sgemv(m: dimension, n: dimension, a: w.baseAddress!, x: q, y: &wq)
        }
        return BLAS.sdot(dimension, p, wq)
    }

    /// `S(p, q)` for two arrays.
    public func similarity(_ p: [Float], _ q: [Float]) -> Float {
        precondition(p.count == dimension && q.count == dimension, "OASIS similarity of wrong-sized vectors")
        return p.withUnsafeBufferPointer { pb in
            q.withUnsafeBufferPointer { qb in similarity(pb.baseAddress!, qb.baseAddress!) }
        }
    }

    /// `S(row i of queries, row j of candidates)` for all pairs: `[queries.rows, candidates.rows]`,
    /// computed as `(Q W) C^T` with two GEMMs.
    public func similarities(queries: FeatureMatrix, candidates: FeatureMatrix) throws(FeatureError) -> [Float] {
        for m in [queries, candidates] where m.dimension != dimension {
            throw .dimensionMismatch(what: "OASIS feature matrix", expected: dimension, actual: m.dimension)
        }
        let n = queries.rows, m = candidates.rows, d = dimension
        var qw = [Float](repeating: 0, count: n * d)
        var result = [Float](repeating: 0, count: n * m)
        guard n > 0 && m > 0 else { return result }
        queries.values.withUnsafeBufferPointer { q in
            matrix.withUnsafeBufferPointer { w in
                BLAS.sgemm(m: n, n: d, k: d, a: q.baseAddress!, lda: d, b: w.baseAddress!, ldb: d,
                           c: &qw, ldc: d)
            }
        }
        candidates.values.withUnsafeBufferPointer { c in
            BLAS.sgemm(transposeB: true, m: n, n: m, k: d, a: qw, lda: d, b: c.baseAddress!, ldb: d,
                       c: &result, ldc: m)
        }
        return result
    }

    /// Runs `steps` passive-aggressive updates on triplets from `nextTriplet` (indices
    /// into the rows of `features`); see the type's documentation for the update.
    /// `nextTriplet` is the caller's sampler (e.g. the data issue's `TripletSampler`
    /// wrapped in a closure), so every random draw is the sampler's stream.
    @discardableResult
    public mutating func train(features: FeatureMatrix, parameters: OASISParameters,
                               nextTriplet: () throws -> Triplet) throws -> OASISTrainingReport {
        guard features.dimension == dimension else {
            throw FeatureError.dimensionMismatch(what: "OASIS features", expected: dimension, actual: features.dimension)
        }
        let d = dimension
        var difference = [Float](repeating: 0, count: d)
        var wd = [Float](repeating: 0, count: d)
        var report = OASISTrainingReport()
        var windowLoss = 0.0, windowCount = 0
        try features.values.withUnsafeBufferPointer { x in
            try matrix.withUnsafeMutableBufferPointer { w in
                let base = x.baseAddress!, wp = w.baseAddress!
                for step in 1...parameters.steps {
                    let t = try nextTriplet()
                    try t.checkRange(rows: features.rows)
                    let q = base + t.query * d, positive = base + t.positive * d, negative = base + t.negative * d
                    for i in 0..<d { difference[i] = positive[i] - negative[i] }
                    // W (p+ - p-), then l = 1 - q . W (p+ - p-).
                    BLAS.sgemv(m: d, n: d, a: wp, x: difference, y: &wd)
                    let loss = max(0, 1 - BLAS.sdot(d, q, wd))
                    windowLoss += Double(loss); windowCount += 1
                    if loss > 0 {
                        let norm = BLAS.sdot(d, q, q) * BLAS.sdot(d, difference, difference)
                        if norm > 0 {
                            let tau = min(parameters.aggressiveness, loss / norm)
                            BLAS.sger(m: d, n: d, alpha: tau, x: q, y: difference, a: wp)
                            report.updates += 1
                        }
                    }
                    if parameters.symmetrizeEvery > 0 && step % parameters.symmetrizeEvery == 0 {
                        OASIS.symmetrize(wp, dimension: d)
                    }
                    if windowCount == parameters.reportEvery || step == parameters.steps {
                        report.meanLoss.append(Float(windowLoss / Double(windowCount)))
                        windowLoss = 0; windowCount = 0
                    }
                }
                if parameters.symmetrizeEvery > 0 { OASIS.symmetrize(wp, dimension: d) }
            }
        }
        report.steps = parameters.steps
        return report
    }

    /// `W <- (W + W^T) / 2` in place.
    static func symmetrize(_ w: UnsafeMutablePointer<Float>, dimension d: Int) {
        for i in 0..<d {
            var j = i + 1
            while j < d {
                let mean = (w[i * d + j] + w[j * d + i]) * 0.5
                w[i * d + j] = mean
                w[j * d + i] = mean
                j += 1
            }
        }
    }
}

/// OASIS training settings.
public struct OASISParameters: Codable, Equatable, Sendable {
    /// Number of triplets (one update each at most).
    public var steps: Int
    /// `C`, the PA-I aggressiveness bound on the step `tau` (the authors' code uses 0.1).
    public var aggressiveness: Float
    /// Symmetrise W every this many steps and at the end; 0: never.
    public var symmetrizeEvery: Int
    /// Steps per entry of the loss history.
    public var reportEvery: Int

    public init(steps: Int, aggressiveness: Float = 0.1, symmetrizeEvery: Int = 0,
                reportEvery: Int = 1000) throws(FeatureError) {
        guard steps >= 1 else { throw .invalidParameter(name: "oasis.steps", value: "\(steps)", allowed: ">= 1") }
        guard aggressiveness > 0 && aggressiveness.isFinite else {
            throw .invalidParameter(name: "oasis.aggressiveness", value: "\(aggressiveness)", allowed: "finite, > 0")
        }
        guard symmetrizeEvery >= 0 else {
            throw .invalidParameter(name: "oasis.symmetrize_every", value: "\(symmetrizeEvery)", allowed: ">= 0")
        }
        guard reportEvery >= 1 else {
            throw .invalidParameter(name: "oasis.report_every", value: "\(reportEvery)", allowed: ">= 1")
        }
        self.steps = steps
        self.aggressiveness = aggressiveness
        self.symmetrizeEvery = symmetrizeEvery
        self.reportEvery = reportEvery
    }
}

/// What an OASIS training run did.
public struct OASISTrainingReport: Codable, Equatable, Sendable {
    public var steps = 0
    /// Steps with a positive loss (and a non-zero V) that changed W.
    public var updates = 0
    /// Mean hinge loss per `reportEvery` steps, before each step's update.
    public var meanLoss: [Float] = []
}
