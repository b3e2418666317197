import TensorKit

/// `[N, C, H, W] -> [N, C*H*W]` without copying: the output is a view of the input.
public final class Flatten: Layer {
    public var computesInputGradient = true
    private var inputShape: [Int] = []

    public init() {}

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        inputShape = x.shape
        return Tensor(viewing: x, shape: [x.shape[0], x.count / max(x.shape[0], 1)])
    }

    @discardableResult
    public func backward(_ dy: Tensor) -> Tensor? {
        guard computesInputGradient else { return nil }
        return Tensor(viewing: dy, shape: inputShape)
    }
}
