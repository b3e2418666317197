import TensorKit

/// Squared error against real-valued targets, summed over each row and averaged over the
/// batch (PyTorch's `F.mse_loss(y, t, reduction='sum') / N`), so each output's gradient has
/// the scale of a cross-entropy logit's whatever the row's width. Trains the regression head
/// of HOG-target pre-training (`pretrain.target: hog`).
///
/// Outputs and targets `[N, K]`; `loss = 1/N * sum (y - t)^2`; `dy = 2 (y - t) / N`.
public final class SquaredError {
    private var gradient: Tensor?
    public init() {}

    /// Returns the loss and its gradient with respect to `outputs`. `targets` holds
    /// `outputs.count` values in the same row-major order.
    public func callAsFunction(outputs: Tensor, targets: [Float]) -> (loss: Float, gradient: Tensor) {
        precondition(targets.count == outputs.count, "\(targets.count) targets for \(outputs.count) outputs")
        let g = Tensor.reusing(gradient, shape: outputs.shape); gradient = g
        let rows = max(outputs.shape.first ?? 1, 1), scale = 2 / Float(rows)
        var total = 0.0
        for i in 0..<outputs.count {
            let difference = outputs.pointer[i] - targets[i]
            total += Double(difference * difference)
            g.pointer[i] = scale * difference
        }
        return (Float(total / Double(rows)), g)
    }
}
