import TensorKit

/// Max pooling over `kernel x kernel` windows with stride and implicit -infinity padding.
///
/// Input `[N, C, H, W]`, output `[N, C, Ho, Wo]`, `Ho = (H + 2p - k) / s + 1` (floor, as
/// PyTorch with `ceil_mode=False`). The gradient goes to the first maximum of each window
/// in row-major scan order, as in PyTorch; overlapping windows (k > s, AlexNet) add up.
///
/// The common 2x2, stride-2 case has a vectorised path that stores no indices: backward
/// finds each window's first maximum again by comparing the saved input with the output.
public final class MaxPool2D: Layer {
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public var computesInputGradient = true

    private var inputShape: [Int] = []
    private var input: Tensor?
    private var output: Tensor?
    private var inputGradient: Tensor?
    private var argmax: [Int32] = []

    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        precondition(padding * 2 <= kernelSize, "padding must be at most half the kernel")
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.count == 4, "max-pool expects [N, C, H, W], got \(x.shape)")
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let g = ConvGeometry(channels: 1, height: h, width: w, kernelH: kernelSize, kernelW: kernelSize,
                             stride: stride, padding: padding)
        let ho = g.outHeight, wo = g.outWidth
        let y = Tensor.reusing(output, shape: [n, c, ho, wo])
        output = y
        inputShape = x.shape
        input = x
        if isTwoByTwo {
            Parallel.forEach(n * c) { plane, _ in
                MaxPool2D.forward2x2(x.pointer + plane * h * w, h: h, w: w, into: y.pointer + plane * ho * wo)
            }
            return y
        }
        if argmax.count < y.count { argmax = [Int32](repeating: 0, count: y.count) }
        argmax.withUnsafeMutableBufferPointer { arg in
            let arg = arg.baseAddress!
            Parallel.forEach(n * c) { plane, _ in
                MaxPool2D.forwardPlane(x.pointer + plane * h * w, g, into: y.pointer + plane * ho * wo,
                                       argmax: arg + plane * ho * wo)
            }
        }
        return y
    }

    @discardableResult
    public func backward(_ dy: Tensor) -> Tensor? {
        guard computesInputGradient else { return nil }
        let (n, c, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let planeOut = dy.count / (n * c)
        let dx = Tensor.reusing(inputGradient, shape: inputShape)
        inputGradient = dx
        if isTwoByTwo, let x = input, let y = output {
            Parallel.forEach(n * c) { plane, _ in
                MaxPool2D.backward2x2(x.pointer + plane * h * w, y.pointer + plane * planeOut,
                                      dy.pointer + plane * planeOut, h: h, w: w, into: dx.pointer + plane * h * w)
            }
            return dx
        }
        argmax.withUnsafeBufferPointer { arg in
            let arg = arg.baseAddress!
            Parallel.forEach(n * c) { plane, _ in
                let dxp = dx.pointer + plane * h * w
                dxp.update(repeating: 0, count: h * w)
                let dyp = dy.pointer + plane * planeOut
                let ap = arg + plane * planeOut
                for i in 0..<planeOut { dxp[Int(ap[i])] += dyp[i] }
            }
        }
        return dx
    }

    /// One plane, any window: each output the window's first maximum in row-major scan order
    /// (a NaN is taken wherever it comes, as `v > best || v.isNaN` decides), with its index.
    /// Rows of outputs whose windows lie inside the plane go eight at a time, one lane per
    /// output, each lane scanning its window in the same order as the one-output loop.
    static func forwardPlane(_ xp: UnsafePointer<Float>, _ g: ConvGeometry,
                             into yp: UnsafeMutablePointer<Float>, argmax ap: UnsafeMutablePointer<Int32>) {
        let (h, w, k, s, p) = (g.height, g.width, g.kernelH, g.stride, g.padding)
        let (ho, wo) = (g.outHeight, g.outWidth)
        let laneOffsets = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) &* Int32(s)
        for oy in 0..<ho {
            let y0 = max(oy * s - p, 0), y1 = min(oy * s - p + k, h)
            var ox = 0
            if p == 0 {
                while ox + 8 <= wo {
                    var best = SIMD8<Float>(repeating: -.infinity)
                    var bestIndex = SIMD8<Int32>(repeating: Int32(y0 * w + ox * s)) &+ laneOffsets
                    for iy in y0..<y1 {
                        for kx in 0..<k {
                            let base = iy * w + ox * s + kx
                            let q = xp + base
                            let v = SIMD8<Float>(q[0], q[s], q[2 * s], q[3 * s], q[4 * s], q[5 * s], q[6 * s], q[7 * s])
                            let take = (v .> best) .| (v .!= v)
                            best.replace(with: v, where: take)
                            bestIndex.replace(with: SIMD8<Int32>(repeating: Int32(base)) &+ laneOffsets, where: take)
                        }
                    }
                    UnsafeMutableRawPointer(yp + oy * wo + ox).storeBytes(of: best, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(ap + oy * wo + ox).storeBytes(of: bestIndex, as: SIMD8<Int32>.self)
                    ox += 8
                }
            }
            while ox < wo {
                let x0 = max(ox * s - p, 0), x1 = min(ox * s - p + k, w)
                var best = -Float.infinity
                var bestIndex = y0 * w + x0
                for iy in y0..<y1 {
                    for ix in x0..<x1 {
                        let v = xp[iy * w + ix]
                        if v > best || v.isNaN { best = v; bestIndex = iy * w + ix }
                    }
                }
                yp[oy * wo + ox] = best
                ap[oy * wo + ox] = Int32(bestIndex)
                ox += 1
            }
        }
    }

    var isTwoByTwo: Bool { kernelSize == 2 && stride == 2 && padding == 0 }

    /// One plane, 2x2 windows: eight outputs per step from two 16-float rows.
    static func forward2x2(_ x: UnsafePointer<Float>, h: Int, w: Int, into y: UnsafeMutablePointer<Float>) {
        let ho = h / 2, wo = w / 2
        for oy in 0..<ho {
            let a = x + 2 * oy * w, b = a + w, out = y + oy * wo
            var ox = 0
            while ox + 8 <= wo {
                let ra = UnsafeRawPointer(a + 2 * ox).loadUnaligned(as: SIMD16<Float>.self)
                let rb = UnsafeRawPointer(b + 2 * ox).loadUnaligned(as: SIMD16<Float>.self)
                let m = lanewiseMax(lanewiseMax(ra.evenHalf, ra.oddHalf), lanewiseMax(rb.evenHalf, rb.oddHalf))
                UnsafeMutableRawPointer(out + ox).storeBytes(of: m, as: SIMD8<Float>.self)
                ox += 8
            }
            while ox < wo {
                out[ox] = max(max(a[2 * ox], a[2 * ox + 1]), max(b[2 * ox], b[2 * ox + 1]))
                ox += 1
            }
        }
    }

    /// One plane, 2x2 windows: the gradient goes to the first input (row-major) that
    /// equals the window's maximum.
    static func backward2x2(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                            h: Int, w: Int, into dx: UnsafeMutablePointer<Float>) {
        let ho = h / 2, wo = w / 2
        if h % 2 == 1 || w % 2 == 1 { dx.update(repeating: 0, count: h * w) }
        let zero = SIMD8<Float>()
        for oy in 0..<ho {
            let a = x + 2 * oy * w, b = a + w
            let da = dx + 2 * oy * w, db = da + w
            let yr = y + oy * wo, gr = dy + oy * wo
            var ox = 0
            while ox + 8 <= wo {
                let ra = UnsafeRawPointer(a + 2 * ox).loadUnaligned(as: SIMD16<Float>.self)
                let rb = UnsafeRawPointer(b + 2 * ox).loadUnaligned(as: SIMD16<Float>.self)
                let m = UnsafeRawPointer(yr + ox).loadUnaligned(as: SIMD8<Float>.self)
                let g = UnsafeRawPointer(gr + ox).loadUnaligned(as: SIMD8<Float>.self)
                let firstA = ra.evenHalf .== m
                let secondA = (ra.oddHalf .== m) .& .!firstA
                let taken = firstA .| secondA
                let firstB = (rb.evenHalf .== m) .& .!taken
                let secondB = .!(taken .| firstB)
                UnsafeMutableRawPointer(da + 2 * ox).storeBytes(
                    of: interleave(zero.replacing(with: g, where: firstA), zero.replacing(with: g, where: secondA)),
                    as: SIMD16<Float>.self)
                UnsafeMutableRawPointer(db + 2 * ox).storeBytes(
                    of: interleave(zero.replacing(with: g, where: firstB), zero.replacing(with: g, where: secondB)),
                    as: SIMD16<Float>.self)
                ox += 8
            }
            while ox < wo {
                let m = yr[ox], g = gr[ox]
                let i = 2 * ox
                let firstA = a[i] == m, secondA = !firstA && a[i + 1] == m
                let firstB = !firstA && !secondA && b[i] == m
                da[i] = firstA ? g : 0
                da[i + 1] = secondA ? g : 0
                db[i] = firstB ? g : 0
                db[i + 1] = !firstA && !secondA && !firstB ? g : 0
                ox += 1
            }
        }
    }
}

/// `(e0, o0, e1, o1, ...)`: the inverse of taking `evenHalf` and `oddHalf`.
@inline(__always)
func interleave(_ even: SIMD8<Float>, _ odd: SIMD8<Float>) -> SIMD16<Float> {
    SIMD16(even[0], odd[0], even[1], odd[1], even[2], odd[2], even[3], odd[3],
           even[4], odd[4], even[5], odd[5], even[6], odd[6], even[7], odd[7])
}

/// Lane-wise maximum (the standard library's generic `pointwiseMax` is not specialised
/// across modules and costs a call per vector).
@inline(__always)
func lanewiseMax(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
    a.replacing(with: b, where: b .> a)
}
