import TensorKit

/// 2-D convolution (cross-correlation, as in PyTorch) with stride and zero padding,
/// computed per image as im2col + one `cblas_sgemm`, or, for the layers `DirectConvolution`
/// covers, by its direct kernels (the same bits, no im2col or col2im).
///
/// Input `[N, Cin, H, W]`, weight `[Cout, Cin, kh, kw]`, bias `[Cout]`,
/// output `[N, Cout, Ho, Wo]` with `Ho = (H + 2p - kh) / s + 1`, optionally passed through
/// a fused ReLU (`activation`), which is exactly `Conv2D` followed by `ReLU`.
/// Used by every part of the multi-scale network (PAPER.md, "Multi-scale network").
///
/// Work items are images (forward) and fixed chunks of images (backward: each chunk
/// writes its own weight-gradient partial; partials are added in chunk order), so results
/// do not depend on the thread count.
public final class Conv2D: Layer {
    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public let activation: Activation
    public let weight: Parameter
    public let bias: Parameter
    public var computesInputGradient = true
    /// How to compute: `.automatic` takes `DirectConvolution` where it gives the bits of
    /// im2col + sgemm; the others force one way (tests and benchmarks of the two).
    public var algorithm: ConvAlgorithm = .automatic

    /// At most this many weight-gradient partials (consecutive chunks of images); the
    /// split depends only on N, so the reduction order is fixed.
    static let reductionChunks = 8

    private var input: Tensor?
    private var output: Tensor?
    private var inputGradient: Tensor?
    private var columns: [Tensor] = []
    private var paddedImages: [Tensor] = []
    private var transposedGradients: [Tensor] = []
    private var columnGradients: [Tensor] = []
    private var maskedGradients: [Tensor] = []
    private var paddedGradients: [Tensor] = []
    private var packedWeights: Tensor?
    private var weightPartials: Tensor?
    private var biasPartials: Tensor?

    /// A convolution with given weight `[Cout, Cin, k, k]` and bias `[Cout]`.
    public init(name: String, weight: Tensor, bias: Tensor, stride: Int = 1, padding: Int = 0,
                activation: Activation = .identity) {
        precondition(weight.shape.count == 4 && weight.shape[2] == weight.shape[3],
                     "conv weight must be [Cout, Cin, k, k], got \(weight.shape)")
        precondition(bias.shape == [weight.shape[0]], "conv bias must be [Cout]")
        outChannels = weight.shape[0]
        inChannels = weight.shape[1]
        kernelSize = weight.shape[2]
        self.stride = stride
        self.padding = padding
        self.activation = activation
        self.weight = Parameter(name: name + ".weight", value: weight)
        self.bias = Parameter(name: name + ".bias", value: bias)
    }

    /// A convolution initialised from `streams` (streams `init/<name>.weight|bias`).
    public convenience init(name: String, inChannels: Int, outChannels: Int, kernelSize: Int,
                            stride: Int = 1, padding: Int = 0, activation: Activation = .identity,
                            initializer: Initializer = .pytorchDefault, streams: RandomStreams) {
        let fanIn = inChannels * kernelSize * kernelSize
        let fanOut = outChannels * kernelSize * kernelSize
        var ws = streams.stream("init/\(name).weight")
        var bs = streams.stream("init/\(name).bias")
        let w = initializer.make(shape: [outChannels, inChannels, kernelSize, kernelSize],
                                 fanIn: fanIn, fanOut: fanOut, stream: &ws)
        let biasInit: Initializer = initializer == .pytorchDefault ? .pytorchDefault : .constant(0)
        let b = biasInit.make(shape: [outChannels], fanIn: fanIn, fanOut: fanOut, stream: &bs)
        self.init(name: name, weight: w, bias: b, stride: stride, padding: padding, activation: activation)
    }

    public var parameters: [Parameter] { [weight, bias] }

    /// The window geometry over one image of `x` `[N, Cin, H, W]`.
    public func geometry(_ x: Tensor) -> ConvGeometry {
        precondition(x.shape.count == 4 && x.shape[1] == inChannels,
                     "conv expects [N, \(inChannels), H, W], got \(x.shape)")
        return ConvGeometry(channels: inChannels, height: x.shape[2], width: x.shape[3],
                            kernelH: kernelSize, kernelW: kernelSize, stride: stride, padding: padding)
    }

    /// Whether this input takes the direct kernels.
    public func usesDirectKernels(_ g: ConvGeometry) -> Bool {
        switch algorithm {
        case .im2col: return false
        case .automatic: return DirectConvolution.isAvailable && DirectConvolution.applies(to: g, outChannels: outChannels)
        case .direct:
            precondition(DirectConvolution.cpuSupportsKernels && DirectConvolution.applies(to: g, outChannels: outChannels),
                         "\(weight.name): the direct kernels need AVX-512 and a geometry they cover")
            return true
        }
    }

    /// Whether the input gradient for this input takes the direct kernels.
    public func usesDirectInputGradient(_ g: ConvGeometry) -> Bool {
        usesDirectKernels(g) && DirectConvolution.appliesToInputGradient(g, outChannels: outChannels)
    }

    /// `weight` packed for a direct kernel (`pack` fills a buffer of `size` elements),
    /// repacked on every call because the weights change between steps.
    private func packWeights(size: Int, _ pack: (UnsafeMutablePointer<Float>) -> Void) -> UnsafePointer<Float> {
        let packed = Tensor.reusing(packedWeights, shape: [max(size, 1)])
        packedWeights = packed
        pack(packed.pointer)
        return UnsafePointer(packed.pointer)
    }

    /// The GEMM operand `[K, Ho*Wo]` for one image `[Cin, H, W]`: the image itself for a
    /// pointwise (1x1, stride 1, no padding) convolution, else its im2col matrix, unfolded
    /// into the worker's `columns`.
    @inline(__always)
    static func columnMatrix(_ image: UnsafeMutablePointer<Float>, _ g: ConvGeometry, pointwise: Bool,
                             columns: [Tensor], worker: Int) -> UnsafePointer<Float> {
        if pointwise { return UnsafePointer(image) }
        im2col(image, g, into: columns[worker].pointer)
        return UnsafePointer(columns[worker].pointer)
    }

    /// Per-worker scratch: column matrices (im2col), their gradients, and for the direct
    /// kernels the padded image, the transposed output gradient and the zero-bordered one.
    private func workspaces(_ g: ConvGeometry, workers: Int, columns wantColumns: Bool, gradients: Bool,
                            direct: Bool = false, transposed: Bool = false, paddedGradient: Bool = false) {
        func ensure(_ buffers: inout [Tensor], _ size: Int) {
            while buffers.count < workers { buffers.append(Tensor(zeros: [size])) }
            for i in 0..<workers { buffers[i] = Tensor.reusing(buffers[i], shape: [size]) }
        }
        let size = g.patchSize * g.outPixels
        if wantColumns { ensure(&columns, size) }
        if gradients { ensure(&columnGradients, size) }
        if direct { ensure(&paddedImages, DirectConvolution.paddedSize(g)) }
        if transposed { ensure(&transposedGradients, outChannels * g.outPixels) }
        if paddedGradient { ensure(&paddedGradients, DirectConvolution.paddedGradientSize(g, outChannels: outChannels)) }
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let g = geometry(x)
        let n = x.shape[0], k = g.patchSize, hw = g.outPixels
        let y = Tensor.reusing(output, shape: [n, outChannels, g.outHeight, g.outWidth])
        output = y
        input = x
        let pointwise = kernelSize == 1 && stride == 1 && padding == 0
        let fast = usesDirectKernels(g)
        workspaces(g, workers: min(Parallel.threads, n), columns: !pointwise && !fast, gradients: false, direct: fast)
        let w = weight.value.pointer, b = bias.value.pointer
        let inSize = inChannels * g.height * g.width, outSize = outChannels * hw
        let cols = columns, pads = paddedImages
        let packed = fast ? packWeights(size: DirectConvolution.packedForwardSize(g, outChannels: outChannels)) {
            DirectConvolution.packForward(w, g, outChannels: outChannels, into: $0)
        } : UnsafePointer(w)
        Parallel.forEach(n) { image, worker in
            let xi = x.pointer + image * inSize
            let yi = y.pointer + image * outSize
            if fast {
                DirectConvolution.forward(xi, g, weight: w, packed: packed, outChannels: self.outChannels,
                                          padded: pads[worker].pointer, into: yi)
            } else {
                let source = Conv2D.columnMatrix(xi, g, pointwise: pointwise, columns: cols, worker: worker)
                BLAS.sgemm(m: self.outChannels, n: hw, k: k, a: w, lda: k, b: source, ldb: hw,
                           beta: 0, c: yi, ldc: hw)
            }
            for o in 0..<self.outChannels {
                VectorOps.addBias(b[o], to: yi + o * hw, count: hw, relu: self.activation == .relu)
            }
        }
        return y
    }

    @discardableResult
    public func backward(_ dy: Tensor) -> Tensor? {
        guard let x = input else { preconditionFailure("Conv2D.backward before forward") }
        let g = geometry(x)
        let n = x.shape[0], k = g.patchSize, hw = g.outPixels
        precondition(dy.shape == [n, outChannels, g.outHeight, g.outWidth], "conv dy shape \(dy.shape)")
        let pointwise = kernelSize == 1 && stride == 1 && padding == 0
        let fast = usesDirectKernels(g)
        let directDx = computesInputGradient && usesDirectInputGradient(g)
        let workers = min(Parallel.threads, n)
        workspaces(g, workers: workers, columns: !pointwise && !fast,
                   gradients: computesInputGradient && !pointwise && !directDx,
                   direct: fast, transposed: fast, paddedGradient: directDx)
        let perChunk = (n + Conv2D.reductionChunks - 1) / Conv2D.reductionChunks
        let chunks = (n + perChunk - 1) / perChunk
        let wSize = outChannels * k
        let wPart = Tensor.reusing(weightPartials, shape: [chunks, wSize]); weightPartials = wPart
        let bPart = Tensor.reusing(biasPartials, shape: [chunks, outChannels]); biasPartials = bPart
        var dx: Tensor?
        if computesInputGradient {
            let t = Tensor.reusing(inputGradient, shape: x.shape)
            inputGradient = t
            dx = t
        }
        let w = weight.value.pointer
        let inSize = inChannels * g.height * g.width, outSize = outChannels * hw
        if activation == .relu {
            while maskedGradients.count < workers { maskedGradients.append(Tensor(zeros: [outSize])) }
            for i in 0..<workers { maskedGradients[i] = Tensor.reusing(maskedGradients[i], shape: [outSize]) }
        }
        let cols = columns, dcols = columnGradients, masked = maskedGradients
        let pads = paddedImages, dyTs = transposedGradients, dyPads = paddedGradients
        let packed = directDx ? packWeights(size: DirectConvolution.packedInputGradientSize(g, outChannels: outChannels)) {
            DirectConvolution.packInputGradient(w, g, outChannels: outChannels, into: $0)
        } : UnsafePointer(w)
        let wantDx = computesInputGradient
        let y = output!
        Parallel.forEach(chunks) { chunk, worker in
            let dw = wPart.pointer + chunk * wSize
            let db = bPart.pointer + chunk * self.outChannels
            db.update(repeating: 0, count: self.outChannels)
            let first = chunk * perChunk, last = min(n, first + perChunk)
            for image in first..<last {
                let xi = x.pointer + image * inSize
                var dyi = UnsafePointer(dy.pointer + image * outSize)
                if self.activation == .relu {
                    // Gradient through the fused ReLU: zero where the output was clipped.
                    let m = masked[worker].pointer
                    VectorOps.reluGradient(dyi, output: y.pointer + image * outSize, into: m, count: outSize)
                    dyi = UnsafePointer(m)
                }
                // dW^T (K x Cout) += cols (K x HW) * dY_n^T (HW x Cout); this orientation runs
                // OpenBLAS's kernels 20-25% faster than dW = dY_n * cols^T for these shapes.
                if fast {
                    if image == first { dw.update(repeating: 0, count: wSize) }
                    DirectConvolution.accumulateWeightGradient(xi, g, dy: dyi, outChannels: self.outChannels,
                                                               padded: pads[worker].pointer,
                                                               dyT: dyTs[worker].pointer, into: dw)
                } else {
                    let source = Conv2D.columnMatrix(xi, g, pointwise: pointwise, columns: cols, worker: worker)
                    BLAS.sgemm(transposeB: true, m: k, n: self.outChannels, k: hw,
                               a: source, lda: hw, b: dyi, ldb: hw,
                               beta: image == first ? 0 : 1, c: dw, ldc: self.outChannels)
                }
                for o in 0..<self.outChannels { db[o] += VectorOps.sum(dyi + o * hw, count: hw) }
                guard wantDx, let dx else { continue }
                let dxi = dx.pointer + image * inSize
                if directDx {
                    DirectConvolution.inputGradient(dyi, g, packed: packed, outChannels: self.outChannels,
                                                    paddedDy: dyPads[worker].pointer, into: dxi)
                    continue
                }
                // dcols (K x HW) = W^T (K x Cout) * dY_n (Cout x HW)
                let target = pointwise ? dxi : dcols[worker].pointer
                BLAS.sgemm(transposeA: true, m: k, n: hw, k: self.outChannels,
                           a: w, lda: k, b: dyi, ldb: hw, beta: 0, c: target, ldc: hw)
                if !pointwise { col2im(dcols[worker].pointer, g, into: dxi) }
            }
        }
        // Fixed-order reduction of the chunk partials (stored transposed, [K, Cout]).
        let gw = weight.grad.pointer, gb = bias.grad.pointer
        for chunk in 0..<chunks {
            let dw = wPart.pointer + chunk * wSize
            for o in 0..<outChannels {
                let row = gw + o * k
                for j in 0..<k { row[j] += dw[j * outChannels + o] }
            }
            let db = bPart.pointer + chunk * outChannels
            for o in 0..<outChannels { gb[o] += db[o] }
        }
        return dx
    }
}

/// How `Conv2D` computes (see `DirectConvolution`).
public enum ConvAlgorithm: Sendable {
    /// The direct kernels where they reproduce im2col + sgemm bit for bit, else im2col + sgemm.
    case automatic
    /// Always im2col + sgemm.
    case im2col
    /// Always the direct kernels (the CPU and the geometry must allow them).
    case direct
}
