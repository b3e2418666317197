import TensorKit

/// Draws an index in `0..<weights.count` with probability `w_k / sum w` from
/// non-negative weights: cumulative sums (Double, summed in index order) and a binary
/// search, O(n) to build and O(log n) per draw, one `nextUniform()` per draw. An index
/// with weight 0 is never drawn.
struct WeightedChoice: Sendable {
    /// `cumulative[k] = w_0 + ... + w_k`.
    private let cumulative: [Double]
    /// The last index with a positive weight (guards against `u * total` rounding up).
    private let lastPositive: Int

    /// Weights must be finite and >= 0 (checked by the callers, which name the source).
    init(weights: [Double]) {
        var sum = 0.0, last = -1
        var cumulative = [Double](repeating: 0, count: weights.count)
        for (k, w) in weights.enumerated() {
            precondition(w >= 0 && w.isFinite, "weight \(w) at \(k)")
            sum += w
            cumulative[k] = sum
            if w > 0 { last = k }
        }
        self.cumulative = cumulative
        self.lastPositive = last
    }

    /// The sum of the weights.
    var total: Double { cumulative.last ?? 0 }

    /// Whether some weight is positive, i.e. `draw` can be called.
    var canDraw: Bool { lastPositive >= 0 }

    /// The first k with `cumulative[k] > u * total`, u ~ U[0, 1) from `stream`.
    func draw(_ stream: inout RandomStream) -> Int {
        precondition(canDraw, "drawing from all-zero weights")
        let target = stream.nextUniform() * total
        var low = 0, high = lastPositive
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > target { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
