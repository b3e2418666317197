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
            (y.pointer + start).update(from: x.pointer + start, count: end - start)
            VectorOps.reluInPlace(y.pointer + start, count: end - start)
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
            VectorOps.reluGradient(dy.pointer + start, output: y.pointer + start, into: dx.pointer + start,
                                   count: end - start)
        }
        return dx
    }
}
