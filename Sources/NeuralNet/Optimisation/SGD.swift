import TensorKit

/// Stochastic gradient descent with momentum (plain or Nesterov) and L2 weight decay,
/// with PyTorch's `torch.optim.SGD` semantics (dampening 0):
///
///     g = grad + decay * w
///     v = momentum * v + g            (v starts at 0, so the first step has v = g)
///     step = nesterov ? g + momentum * v : v
///     w -= lr * step
///
/// The paper trains with momentum SGD (Nesterov-style), its objective adding the weight
/// penalty lambda * ||W||^2 with lambda = 0.001. Works on the parameter store's flat
/// buffers: one loop over every parameter.
public final class SGD {
    public var learningRate: Float
    public let momentum: Float
    public let weightDecay: Float
    public let nesterov: Bool
    /// The momentum buffer, same layout as the store (saved with checkpoints).
    public let velocity: Tensor
    private let store: ParameterStore
    private let decayMask: [Bool]

    public init(store: ParameterStore, learningRate: Float, momentum: Float = 0.9,
                weightDecay: Float = 0, nesterov: Bool = false) {
        self.store = store
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        self.velocity = Tensor(zeros: [store.count])
        self.decayMask = store.parameters.map(\.decays)
    }

    /// Applies one update from the gradients currently in the store.
    public func step() {
        let w = store.values.pointer, grad = store.gradients.pointer, v = velocity.pointer
        var offset = 0
        for (parameter, decays) in zip(store.parameters, decayMask) {
            let decay = decays ? weightDecay : 0
            for i in offset..<(offset + parameter.count) {
                let g = grad[i] + decay * w[i]
                if momentum != 0 {
                    v[i] = momentum * v[i] + g
                    w[i] -= learningRate * (nesterov ? g + momentum * v[i] : v[i])
                } else {
                    w[i] -= learningRate * g
                }
            }
            offset += parameter.count
        }
    }
}
