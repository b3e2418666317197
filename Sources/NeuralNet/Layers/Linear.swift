import TensorKit

/// Fully connected layer `y = x W^T + b`.
///
/// Input `[N, in]` (any `[N, ...]` is read as `[N, in]`), weight `[out, in]` (PyTorch
/// layout), bias `[out]`, output `[N, out]`. Work items are fixed blocks of rows, or of
/// output columns where that gives the same bits (`cut`), so the GEMM calls are the same
/// whatever the thread count.
public final class Linear: Layer {
    public let inFeatures: Int
    public let outFeatures: Int
    public let weight: Parameter
    public let bias: Parameter
    public var computesInputGradient = true

    /// Rows per work item for the batch dimension and for the weight gradient.
    static let rowBlock = 16
    static let weightRowBlock = 32
    /// Output columns per work item when a product is cut by columns.
    static let columnBlock = 256

    /// How a product `C[rows, columns] (+)= op(A)[rows, depth] op(B)[depth, columns]` is cut
    /// into work items.
    enum Cut: Equatable {
        /// Blocks of `rowBlock` rows: the layer's bits, but every item streams all of B
        /// (the weight: 105 MB for the paper-sized fc, read once per 16 rows).
        case rows
        /// Blocks of `columnBlock` columns over all rows: B is streamed once.
        case columns
    }

    /// Columns when every piece of both cuttings takes the chain kernels' level-3 path, where
    /// an output's chain depends on the depth alone (`ChainGemm.takesLevel3Path`): then the
    /// two give the same bits, and columns stream B once. Else rows. Shapes decide, never the
    /// thread count.
    static func cut(transposeB: Bool, rows: Int, columns: Int, depth: Int) -> Cut {
        func level3(_ m: Int, _ n: Int) -> Bool {
            m == 0 || n == 0 || ChainGemm.takesLevel3Path(transposeB: transposeB, m: m, n: n, k: depth)
        }
        let rowPieces = [min(rowBlock, rows), rows % rowBlock]
        let columnPieces = [min(columnBlock, columns), columns % columnBlock]
        guard rowPieces.allSatisfy({ level3($0, columns) }),
              columnPieces.allSatisfy({ level3(rows, $0) }) else { return .rows }
        return .columns
    }

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
        if Linear.cut(transposeB: true, rows: n, columns: outF, depth: inF) == .columns {
            Parallel.forEach(Parallel.blocks(outF, blockSize: Linear.columnBlock)) { block, _ in
                let c0 = block * Linear.columnBlock, columns = min(Linear.columnBlock, outF - c0)
                for r in 0..<n { (y.pointer + r * outF + c0).update(from: b + c0, count: columns) }
                BLAS.sgemm(transposeB: true, m: n, n: columns, k: inF, a: x.pointer, lda: inF,
                           b: w + c0 * inF, ldb: inF, beta: 1, c: y.pointer + c0, ldc: outF)
            }
            return y
        }
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
        if Linear.cut(transposeB: false, rows: n, columns: inF, depth: outF) == .columns {
            Parallel.forEach(Parallel.blocks(inF, blockSize: Linear.columnBlock)) { block, _ in
                let c0 = block * Linear.columnBlock, columns = min(Linear.columnBlock, inF - c0)
                BLAS.sgemm(m: n, n: columns, k: outF, a: dy.pointer, lda: outF,
                           b: w + c0, ldb: inF, beta: 0, c: dx.pointer + c0, ldc: inF)
            }
            return dx
        }
        Parallel.forEach(Parallel.blocks(n, blockSize: Linear.rowBlock)) { block, _ in
            let r0 = block * Linear.rowBlock, rows = min(Linear.rowBlock, n - r0)
            BLAS.sgemm(m: rows, n: inF, k: outF, a: dy.pointer + r0 * outF, lda: outF,
                       b: w, ldb: inF, beta: 0, c: dx.pointer + r0 * inF, ldc: inF)
        }
        return dx
    }
}
