import TensorKit

/// Fully connected layer `y = x W^T + b`.
///
/// Input `[N, in]` (any `[N, ...]` is read as `[N, in]`), weight `[out, in]` (PyTorch
/// layout), bias `[out]`, output `[N, out]`. Work items are fixed blocks of rows, so the
/// GEMM calls are the same whatever the thread count.
public final class Linear: Layer {
    public let inFeatures: Int
    public let outFeatures: Int
    public let weight: Parameter
    public let bias: Parameter
    public var computesInputGradient = true

    /// Rows per work item for the batch dimension and for the weight gradient.
    static let rowBlock = 16
    static let weightRowBlock = 32

    private var input: Tensor?
    private var inputShape: [Int] = []
    private var output: Tensor?
    private var inputGradient: Tensor?

    public init(name: String, weight: Tensor, bias: Tensor) {
        precondition(weight.shape.count == 2 && bias.shape == [weight.shape[0]],
                     "linear weight must be [out, in] and bias [out]")
        outFeatures = weight.shape[0]
        inFeatures = weight.shape[1]
        self.weight = Parameter(name: name + ".weight", value: weight)
        self.bias = Parameter(name: name + ".bias", value: bias)
    }

    /// A linear layer initialised from `streams` (streams `init/<name>.weight|bias`).
    public convenience init(name: String, inFeatures: Int, outFeatures: Int,
                            initializer: Initializer = .pytorchDefault, streams: RandomStreams) {
        var ws = streams.stream("init/\(name).weight")
        var bs = streams.stream("init/\(name).bias")
        let w = initializer.make(shape: [outFeatures, inFeatures], fanIn: inFeatures, fanOut: outFeatures, stream: &ws)
        let biasInit: Initializer = initializer == .pytorchDefault ? .pytorchDefault : .constant(0)
        let b = biasInit.make(shape: [outFeatures], fanIn: inFeatures, fanOut: outFeatures, stream: &bs)
        self.init(name: name, weight: w, bias: b)
    }

    public var parameters: [Parameter] { [weight, bias] }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let n = x.shape[0]
        precondition(x.count == n * inFeatures, "linear expects [N, \(inFeatures)], got \(x.shape)")
        let y = Tensor.reusing(output, shape: [n, outFeatures]); output = y
        input = x
        inputShape = x.shape
        let (inF, outF) = (inFeatures, outFeatures)
        let w = weight.value.pointer, b = bias.value.pointer
        Parallel.forEach(Parallel.blocks(n, blockSize: Linear.rowBlock)) { block, _ in
            let r0 = block * Linear.rowBlock, rows = min(Linear.rowBlock, n - r0)
            let yb = y.pointer + r0 * outF
            for r in 0..<rows { (yb + r * outF).update(from: b, count: outF) }
            BLAS.sgemm(transposeB: true, m: rows, n: outF, k: inF, a: x.pointer + r0 * inF, lda: inF,
                       b: w, ldb: inF, beta: 1, c: yb, ldc: outF)
        }
        return y
    }

    @discardableResult
    public func backward(_ dy: Tensor) -> Tensor? {
        guard let x = input else { preconditionFailure("Linear.backward before forward") }
        let n = x.shape[0]
        let (inF, outF) = (inFeatures, outFeatures)
        precondition(dy.shape == [n, outF], "linear dy shape \(dy.shape)")
        let gw = weight.grad.pointer, gb = bias.grad.pointer, w = weight.value.pointer
        // dW[o0..<o1, :] += dY^T[o0..<o1, :] * X  (each block reduces over all N rows itself)
        Parallel.forEach(Parallel.blocks(outF, blockSize: Linear.weightRowBlock)) { block, _ in
            let o0 = block * Linear.weightRowBlock, rows = min(Linear.weightRowBlock, outF - o0)
            BLAS.sgemm(transposeA: true, m: rows, n: inF, k: n, a: dy.pointer + o0, lda: outF,
                       b: x.pointer, ldb: inF, beta: 1, c: gw + o0 * inF, ldc: inF)
        }
        for r in 0..<n {
            let row = dy.pointer + r * outF
            for o in 0..<outF { gb[o] += row[o] }
        }
        guard computesInputGradient else { return nil }
        let dx = Tensor.reusing(inputGradient, shape: inputShape); inputGradient = dx
        Parallel.forEach(Parallel.blocks(n, blockSize: Linear.rowBlock)) { block, _ in
            let r0 = block * Linear.rowBlock, rows = min(Linear.rowBlock, n - r0)
            BLAS.sgemm(m: rows, n: inF, k: outF, a: dy.pointer + r0 * outF, lda: outF,
                       b: w, ldb: inF, beta: 0, c: dx.pointer + r0 * inF, ldc: inF)
        }
        return dx
    }
}
