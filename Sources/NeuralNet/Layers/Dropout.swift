import TensorKit

/// Inverted dropout: in training each element is kept with probability `keep` and scaled
/// by `1 / keep`; at inference it is the identity. The paper trains with dropout on its
/// fully connected layers, keep probability 0.6.
///
/// The mask comes from the layer's own named random stream, drawn sequentially, so it is
/// the same whatever the thread count.
public final class Dropout: Layer {
    public let keep: Float
    public var computesInputGradient = true
    /// The stream the masks are drawn from; its state is saved with checkpoints.
    public var stream: RandomStream
    /// A mask for training passes to use instead of drawing one (the input's shape, each
    /// element 0 or 1; kept elements are scaled by `1 / keep` as usual), leaving the stream
    /// where it is. How a comparison with another implementation gives both the same mask;
    /// nil (always, in training) draws from the stream.
    public var givenMask: Tensor?

    private var mask: Tensor?
    private var output: Tensor?
    private var inputGradient: Tensor?
    private var maskActive = false

    public init(keep: Float, stream: RandomStream) {
        precondition(keep > 0 && keep <= 1, "dropout keep probability must be in (0, 1]")
        self.keep = keep
        self.stream = stream
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        maskActive = training && keep < 1
        guard maskActive else { return x }
        let m = Tensor.reusing(mask, shape: x.shape); mask = m
        let y = Tensor.reusing(output, shape: x.shape); output = y
        let scale = 1 / keep
        if let givenMask { precondition(givenMask.shape == x.shape, "dropout mask \(givenMask.shape) for input \(x.shape)") }
        for i in 0..<x.count {
            let kept = givenMask.map { $0[flat: i] != 0 } ?? (stream.nextUniformFloat() < keep)
            m.pointer[i] = kept ? scale : 0
            y.pointer[i] = x.pointer[i] * m.pointer[i]
        }
        return y
    }

    @discardableResult
    public func backward(_ dy: Tensor) -> Tensor? {
        guard computesInputGradient else { return nil }
        guard maskActive, let m = mask else { return dy }
        let dx = Tensor.reusing(inputGradient, shape: dy.shape); inputGradient = dx
        for i in 0..<dy.count { dx.pointer[i] = dy.pointer[i] * m.pointer[i] }
        return dx
    }
}
