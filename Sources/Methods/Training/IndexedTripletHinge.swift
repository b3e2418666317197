import DatasetKit
import NeuralNet
import TensorKit

/// The triplet hinge loss of the paper's ranking model (`TripletHingeLoss`'s formula) over
/// triplets given as rows of one embedding batch `[N, D]`, for batches where a row takes
/// part in several triplets (mined triplets):
///
///     L = w / T * sum_t max(0, g + D(q_t, p_t) - D(q_t, n_t))
///
/// with `D` the squared Euclidean distance, `T` the number of triplets and `w` a weight.
/// The gradient of an active triplet, added to the rows' gradients:
/// `dq += 2w(n - p)/T`, `dp += -2w(q - p)/T`, `dn += 2w(q - n)/T`.
public enum IndexedTripletHinge {
    /// Adds the loss's gradient for `triplets` (rows of `embeddings`) to `gradient` (same
    /// shape) and returns the loss and the number of active triplets; no triplets: 0 and 0.
    /// A NaN embedding gives a NaN loss (the training loop stops on it).
    public static func accumulate(embeddings e: Tensor, triplets: [Triplet], margin: Float, weight: Float,
                           into gradient: Tensor) -> (loss: Float, active: Int) {
        precondition(gradient.shape == e.shape, "gradient \(gradient.shape) must have the embeddings' shape \(e.shape)")
        guard !triplets.isEmpty else { return (0, 0) }
        let d = e.shape[1]
        let scale = 2 * weight / Float(triplets.count)
        var total: Float = 0
        var active = 0
        for t in triplets {
            let q = e.pointer + t.query * d, p = e.pointer + t.positive * d, n = e.pointer + t.negative * d
            let hinge = TripletHingeLoss.hinge(q, p, n, dimension: d, margin: margin)
            if hinge.isNaN { total = .nan; continue }
            guard hinge > 0 else { continue }
            total += hinge
            active += 1
            let gq = gradient.pointer + t.query * d, gp = gradient.pointer + t.positive * d
            let gn = gradient.pointer + t.negative * d
            for j in 0..<d {
                gq[j] += scale * (n[j] - p[j])
                gp[j] += -scale * (q[j] - p[j])
                gn[j] += scale * (q[j] - n[j])
            }
        }
        return (weight * total / Float(triplets.count), active)
    }
}
