import TensorKit

/// A named trainable tensor and its gradient.
///
/// The name is a dotted path such as `deep.conv1.weight`; it becomes the HDF5 dataset
/// path in run files (`/methods/<m>/weights/deep.conv1.weight`). Once a
/// `ParameterStore` packs the parameter, `value` and `grad` are views into the store's
/// flat buffers, so the optimiser is one loop and a checkpoint is one write (llm.c).
public final class Parameter {
    public let name: String
    public let shape: [Int]
    /// Whether weight decay applies (true for weights and biases, as in PyTorch's SGD).
    public let decays: Bool
    public internal(set) var value: Tensor
    public internal(set) var grad: Tensor

    /// A parameter with initial values `value` (its shape is the parameter's shape).
    public init(name: String, value: Tensor, decays: Bool = true) {
        self.name = name
        self.shape = value.shape
        self.decays = decays
        self.value = value
        self.grad = Tensor(zeros: value.shape)
    }

    public var count: Int { value.count }
}
