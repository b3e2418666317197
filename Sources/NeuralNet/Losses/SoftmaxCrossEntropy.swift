import Foundation
import TensorKit

/// Softmax cross-entropy with integer class labels, mean over the batch (PyTorch's
/// `F.cross_entropy`). Trains the classifier baseline ("ConvNet" in the paper's Table 2).
///
/// Logits `[N, K]`; `loss = -1/N * sum_n log softmax(logits_n)[label_n]`;
/// `dlogits = (softmax - onehot) / N`.
public final class SoftmaxCrossEntropy {
    private var gradient: Tensor?
    public init() {}

    /// Returns the mean loss and its gradient with respect to the logits.
    public func callAsFunction(logits: Tensor, labels: [Int]) -> (loss: Float, gradient: Tensor) {
        let n = logits.shape[0], k = logits.count / max(n, 1)
        precondition(labels.count == n && labels.allSatisfy { (0..<k).contains($0) }, "labels must be in 0..<\(k)")
        let g = Tensor.reusing(gradient, shape: logits.shape); gradient = g
        var total = 0.0
        for r in 0..<n {
            let z = logits.pointer + r * k, gr = g.pointer + r * k
            var maxLogit = -Float.infinity
            for j in 0..<k { maxLogit = max(maxLogit, z[j]) }
            var sum: Float = 0
            for j in 0..<k { gr[j] = expf(z[j] - maxLogit); sum += gr[j] }
            let logSum = logf(sum) + maxLogit
            total += Double(logSum - z[labels[r]])
            let inv = 1 / (sum * Float(n))
            for j in 0..<k { gr[j] *= inv }
            gr[labels[r]] -= 1 / Float(n)
        }
        return (Float(total / Double(n)), g)
    }
}
