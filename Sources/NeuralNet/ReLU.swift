import TensorKit

/// Rectified linear unit, `y = max(x, 0)`; any shape. The gradient at exactly 0 is 0.
public final class ReLU: Layer {
    public var computesInputGradient = true
    private var output: Tensor?
    private var inputGradient: Tensor?

    /// Elements per work item (fixed, so the split never depends on the thread count).
    static let block = 1 << 16

    public init() {}

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let y = Tensor.reusing(output, shape: x.shape)
        output = y
        let count = x.count
        Parallel.forEach(Parallel.blocks(count, blockSize: ReLU.block)) { block, _ in
            let start = block * ReLU.block, end = min(count, start + ReLU.block)
            let xp = x.pointer, yp = y.pointer
            for i in start..<end { yp[i] = max(xp[i], 0) }
        }
        return y
    }

    @discardableResult
    public func backward(_ dy: Tensor) -> Tensor? {
        guard computesInputGradient, let y = output else { return nil }
        let dx = Tensor.reusing(inputGradient, shape: dy.shape)
        inputGradient = dx
        let count = dy.count
        Parallel.forEach(Parallel.blocks(count, blockSize: ReLU.block)) { block, _ in
            let start = block * ReLU.block, end = min(count, start + ReLU.block)
            let yp = y.pointer, dyp = dy.pointer, dxp = dx.pointer
            for i in start..<end { dxp[i] = yp[i] > 0 ? dyp[i] : 0 }
        }
        return dx
    }
}
