import TensorKit

/// Scales each sample to unit Euclidean norm: `y = x / max(||x||, eps)`, as PyTorch's
/// `F.normalize(x, dim=1, eps=1e-12)`. Input and output `[N, D]` (or `[N, ...]`, read as
/// `[N, D]`). The paper normalises each part of the multi-scale network and the final
/// embedding (the paper, Sec. 4 "Network architecture" and Figure 3).
public final class L2Normalize: Layer {
    public let epsilon: Float
    public var computesInputGradient = true

    private var output: Tensor?
    private var norms: [Float] = []
    private var inputGradient: Tensor?

    public init(epsilon: Float = 1e-12) { self.epsilon = epsilon }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let n = x.shape[0], d = x.count / max(n, 1)
        let y = Tensor.reusing(output, shape: x.shape); output = y
        if norms.count < n { norms = [Float](repeating: 0, count: n) }
        for r in 0..<n {
            let xr = x.pointer + r * d, yr = y.pointer + r * d
            var sum: Float = 0
            for i in 0..<d { sum += xr[i] * xr[i] }
            let norm = max(sum.squareRoot(), epsilon)
            norms[r] = norm
            let inv = 1 / norm
            for i in 0..<d { yr[i] = xr[i] * inv }
        }
        return y
    }

    /// `dx = (dy - y * <y, dy>) / ||x||` where the norm exceeds eps; `dy / eps` otherwise.
    @discardableResult
    public func backward(_ dy: Tensor) -> Tensor? {
        guard computesInputGradient, let y = output else { return nil }
        let n = y.shape[0], d = y.count / max(n, 1)
        let dx = Tensor.reusing(inputGradient, shape: y.shape); inputGradient = dx
        for r in 0..<n {
            let yr = y.pointer + r * d, dyr = dy.pointer + r * d, dxr = dx.pointer + r * d
            let inv = 1 / norms[r]
            if norms[r] > epsilon {
                var dot: Float = 0
                for i in 0..<d { dot += yr[i] * dyr[i] }
                for i in 0..<d { dxr[i] = (dyr[i] - yr[i] * dot) * inv }
            } else {
                for i in 0..<d { dxr[i] = dyr[i] * inv }
            }
        }
        return dx
    }
}
