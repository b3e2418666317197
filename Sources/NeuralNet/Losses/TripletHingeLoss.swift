import TensorKit

/// The paper's ranking loss, the hinge loss of each triplet on the squared distances of
/// its embeddings, averaged over triplets:
/// `l = 1/B * sum_i max(0, g + D(q_i, p_i) - D(q_i, n_i))` with `D` the squared
/// Euclidean distance and `g` the gap (margin).
///
/// Embeddings `[3B, D]` laid out as all queries, then all positives, then all negatives.
/// Gradient of an active triplet: `dq = 2(n - p)/B`, `dp = -2(q - p)/B`, `dn = 2(q - n)/B`.
/// (The paper sums over triplets; the mean keeps the learning rate independent of B.)
public final class TripletHingeLoss {
    public let margin: Float
    private var gradient: Tensor?
    /// Number of triplets with a positive hinge in the last call.
    public private(set) var activeCount = 0

    public init(margin: Float) { self.margin = margin }

    public func callAsFunction(embeddings e: Tensor) -> (loss: Float, gradient: Tensor) {
        let rows = e.shape[0], d = e.count / max(rows, 1)
        precondition(rows % 3 == 0, "triplet embeddings must be [3B, D], got \(e.shape)")
        let b = rows / 3
        let g = Tensor.reusing(gradient, shape: e.shape); gradient = g
        g.zero()
        var total: Float = 0
        activeCount = 0
        let scale = 2 / Float(b)
        for i in 0..<b {
            let q = e.pointer + i * d, p = e.pointer + (b + i) * d, n = e.pointer + (2 * b + i) * d
            let hinge = Self.hinge(q, p, n, dimension: d, margin: margin)
            // A NaN embedding must surface as a NaN loss (the trainer stops on it), not be
            // skipped as an inactive triplet by the comparison below.
            if hinge.isNaN { total = .nan; continue }
            guard hinge > 0 else { continue }
            total += hinge
            activeCount += 1
            let gq = g.pointer + i * d, gp = g.pointer + (b + i) * d, gn = g.pointer + (2 * b + i) * d
            for j in 0..<d {
                gq[j] = scale * (n[j] - p[j])
                gp[j] = -scale * (q[j] - p[j])
                gn[j] = scale * (q[j] - n[j])
            }
        }
        return (total / Float(b), g)
    }

    /// `g + D(q, p) - D(q, n)` for one triplet of `dimension`-long embeddings, the squared
    /// distances summed in index order (the order every stored run was trained with).
    @inline(__always)
    public static func hinge(_ q: UnsafeMutablePointer<Float>, _ p: UnsafeMutablePointer<Float>,
                             _ n: UnsafeMutablePointer<Float>, dimension d: Int, margin: Float) -> Float {
        var dPos: Float = 0, dNeg: Float = 0
        for j in 0..<d {
            let a = q[j] - p[j], c = q[j] - n[j]
            dPos += a * a
            dNeg += c * c
        }
        return margin + dPos - dNeg
    }
}
