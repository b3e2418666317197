import TensorKit

/// Layers applied in order.
///
/// The backward pass stops at the first layer that has parameters: nothing before it
/// needs a gradient (for example the average-pooling subsampler in front of a shallow
/// part, or the network input), and that layer is told to skip its input gradient.
public final class Sequential: Layer {
    public let layers: [Layer]
    private let firstTrainable: Int

    public var computesInputGradient: Bool {
        didSet { configureInputGradients() }
    }

    public init(_ layers: [Layer], computesInputGradient: Bool = false) {
        self.layers = layers
        self.firstTrainable = layers.firstIndex { !$0.parameters.isEmpty } ?? layers.count
        self.computesInputGradient = computesInputGradient
        configureInputGradients()
    }

    private func configureInputGradients() {
        for (i, layer) in layers.enumerated() {
            layer.computesInputGradient = computesInputGradient || i > firstTrainable
        }
    }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        var h = x
        for layer in layers { h = layer.forward(h, training: training) }
        return h
    }

    @discardableResult
    public func backward(_ dy: Tensor) -> Tensor? {
        var g: Tensor? = dy
        let stop = computesInputGradient ? 0 : min(firstTrainable, layers.count)
        for i in stride(from: layers.count - 1, through: stop, by: -1) {
            guard let current = g else { return nil }
            g = layers[i].backward(current)
        }
        return computesInputGradient ? g : nil
    }
}
