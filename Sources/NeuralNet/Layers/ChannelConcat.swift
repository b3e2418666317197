import TensorKit

/// Concatenation along dimension 1: `[N, C1, H, W] ++ [N, C2, H, W] -> [N, C1+C2, H, W]`,
/// or `[N, D1] ++ [N, D2] -> [N, D1+D2]`. In NCHW both are the per-sample concatenation of
/// contiguous blocks, which is how it is computed. The multi-scale network joins its two
/// shallow parts, and then the deep and shallow parts, this way.
public final class ChannelConcat {
    private var output: Tensor?
    private var inputShapes: [[Int]] = []
    private var inputGradients: [Tensor?] = []

    public init() {}

    public func forward(_ inputs: [Tensor]) -> Tensor {
        precondition(!inputs.isEmpty, "concat needs inputs")
        let n = inputs[0].shape[0]
        precondition(inputs.allSatisfy { $0.shape[0] == n }, "concat inputs differ in batch size")
        let sizes = inputs.map { $0.count / max(n, 1) }
        let total = sizes.reduce(0, +)
        let spatial = inputs.map { Array($0.shape.dropFirst(2)) }
        let sameSpatial = inputs.allSatisfy { $0.shape.count == 4 } && Set(spatial).count == 1
        let shape = sameSpatial ? [n, inputs.map { $0.shape[1] }.reduce(0, +)] + spatial[0] : [n, total]
        let y = Tensor.reusing(output, shape: shape); output = y
        inputShapes = inputs.map(\.shape)
        for r in 0..<n {
            var offset = r * total
            for (input, size) in zip(inputs, sizes) {
                (y.pointer + offset).update(from: input.pointer + r * size, count: size)
                offset += size
            }
        }
        return y
    }

    /// Splits `dy` back into one gradient per input.
    public func backward(_ dy: Tensor) -> [Tensor] {
        let n = inputShapes[0][0]
        let sizes = inputShapes.map { $0.reduce(1, *) / max(n, 1) }
        let total = sizes.reduce(0, +)
        while inputGradients.count < inputShapes.count { inputGradients.append(nil) }
        var result: [Tensor] = []
        var start = 0
        for (i, size) in sizes.enumerated() {
            let g = Tensor.reusing(inputGradients[i], shape: inputShapes[i]); inputGradients[i] = g
            for r in 0..<n { (g.pointer + r * size).update(from: dy.pointer + r * total + start, count: size) }
            start += size
            result.append(g)
        }
        return result
    }
}
