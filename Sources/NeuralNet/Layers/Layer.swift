import TensorKit

/// A network layer with its forward and backward pass side by side.
///
/// `forward` returns a tensor the layer owns and reuses on the next call (no allocation
/// per step); callers must not keep it across calls. `backward` takes the gradient of the
/// loss with respect to the last output and returns the gradient with respect to the
/// last input, accumulating parameter gradients into `Parameter.grad` (`+=`, so the
/// optimiser zeroes them once per step).
public protocol Layer: AnyObject {
    /// Computes the output for `input`; `training` switches dropout on.
    func forward(_ input: Tensor, training: Bool) -> Tensor
    /// Back-propagates `outputGradient` (same shape as the last output).
    /// Returns the input gradient, or nil when the layer was told not to compute it.
    @discardableResult func backward(_ outputGradient: Tensor) -> Tensor?
    /// The layer's trainable parameters, in a stable order.
    var parameters: [Parameter] { get }
    /// When false the layer skips the input gradient (e.g. the first layer of a network).
    var computesInputGradient: Bool { get set }
}

extension Layer {
    public var parameters: [Parameter] { [] }
}
