import TensorKit

/// All parameters of a model in one flat buffer, with a flat gradient buffer of the same
/// layout and named views into both.
///
/// Packing is done once, after the model is built: each parameter's values are copied
/// into the flat buffer and its `value`/`grad` rebound to views, in the order given.
public final class ParameterStore {
    /// The parameters in storage order.
    public let parameters: [Parameter]
    /// Every parameter value, concatenated in `parameters` order.
    public let values: Tensor
    /// Every gradient, in the same layout as `values`.
    public let gradients: Tensor
    /// Offset of each parameter in the flat buffers, by name.
    public let offsets: [String: Int]

    public init(_ parameters: [Parameter]) {
        var seen = Set<String>()
        for p in parameters {
            precondition(seen.insert(p.name).inserted, "duplicate parameter name \(p.name)")
        }
        let total = parameters.reduce(0) { $0 + $1.count }
        values = Tensor(zeros: [total])
        gradients = Tensor(zeros: [total])
        var offsets: [String: Int] = [:]
        var offset = 0
        for p in parameters {
            let valueView = Tensor(viewing: values, offset: offset, shape: p.shape)
            valueView.copy(from: p.value)
            p.value = valueView
            p.grad = Tensor(viewing: gradients, offset: offset, shape: p.shape)
            offsets[p.name] = offset
            offset += p.count
        }
        self.parameters = parameters
        self.offsets = offsets
    }

    /// Total number of scalars.
    public var count: Int { values.count }

    /// The parameter named `name`, if any.
    public subscript(name: String) -> Parameter? { parameters.first { $0.name == name } }

    /// Zeroes every gradient (once per training step).
    public func zeroGradients() { gradients.zero() }

    /// Scales every gradient by `maxNorm / (norm + 1e-6)` when that is below 1, where `norm`
    /// is the L2 norm of all gradients together, as PyTorch's `clip_grad_norm_` does; returns
    /// `norm`. The sum runs in one fixed order in Double, so it has the same bits whatever the
    /// thread count.
    @discardableResult
    public func clipGradientNorm(to maxNorm: Float) -> Float {
        let g = gradients.pointer
        var squares = 0.0
        for i in 0..<gradients.count { squares += Double(g[i]) * Double(g[i]) }
        let norm = Float(squares.squareRoot())
        let coefficient = maxNorm / (norm + 1e-6)
        if coefficient < 1 {
            for i in 0..<gradients.count { g[i] *= coefficient }
        }
        return norm
    }

    /// Copies the value of every parameter whose name `other` also has into it (a
    /// pre-trained network into the ranking network it initialises, by name). Returns the
    /// names copied, in this store's order.
    @discardableResult
    public func copyValues(to other: ParameterStore) -> [String] {
        var copied: [String] = []
        for p in parameters {
            guard let target = other[p.name] else { continue }
            precondition(target.shape == p.shape, "\(p.name): shape \(p.shape) vs \(target.shape)")
            target.value.copy(from: p.value)
            copied.append(p.name)
        }
        return copied
    }
}
