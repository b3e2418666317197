import Foundation
import TensorKit

/// Parameter initialisers, each drawing from a named random stream.
public enum Initializer: Equatable {
    /// U(-1/sqrt(fan_in), 1/sqrt(fan_in)): PyTorch's default for conv and linear layers
    /// (kaiming_uniform with a = sqrt(5) for weights, and the same bound for biases).
    case pytorchDefault
    /// He et al. 2015 for ReLU: N(0, 2 / fan_in).
    case kaimingNormal
    /// Glorot and Bengio 2010: U(-b, b), b = sqrt(6 / (fan_in + fan_out)).
    case xavierUniform
    /// Every element equal to a constant.
    case constant(Float)

    /// A tensor of `shape` filled from `stream`. `fanIn` and `fanOut` count the inputs and
    /// outputs of one unit (Cin*kh*kw and Cout*kh*kw for a convolution).
    public func make(shape: [Int], fanIn: Int, fanOut: Int, stream: inout RandomStream) -> Tensor {
        let tensor = Tensor(zeros: shape)
        let p = tensor.pointer
        switch self {
        case .pytorchDefault:
            let bound = Float(1 / Double(fanIn).squareRoot())
            for i in 0..<tensor.count { p[i] = stream.nextUniform(-bound, bound) }
        case .kaimingNormal:
            let std = (2 / Double(fanIn)).squareRoot()
            for i in 0..<tensor.count { p[i] = Float(std * stream.nextNormal()) }
        case .xavierUniform:
            let bound = Float((6 / Double(fanIn + fanOut)).squareRoot())
            for i in 0..<tensor.count { p[i] = stream.nextUniform(-bound, bound) }
        case .constant(let value):
            tensor.fill(value)
        }
        return tensor
    }
}
