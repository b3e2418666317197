import TensorKit

/// Average pooling over `kernel x kernel` windows (no padding).
///
/// Input `[N, C, H, W]`, output `[N, C, (H - k) / s + 1, (W - k) / s + 1]`. With
/// `kernel = stride = 4` and `8` it is the paper's 4:1 and 8:1 subsampling that feeds the
/// two shallow parts (the paper's Figure 3).
public final class AvgPool2D: Layer {
    public let kernelSize: Int
    public let stride: Int
    public var computesInputGradient = true

    private var inputShape: [Int] = []
    private var output: Tensor?
    private var inputGradient: Tensor?

    public init(kernelSize: Int, stride: Int? = nil) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.count == 4, "avg-pool expects [N, C, H, W], got \(x.shape)")
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (k, s) = (kernelSize, stride)
        let ho = (h - k) / s + 1, wo = (w - k) / s + 1
        precondition(ho > 0 && wo > 0, "avg-pool \(k) on \(h)x\(w) gives an empty output")
        let y = Tensor.reusing(output, shape: [n, c, ho, wo])
        output = y
        inputShape = x.shape
        let scale = 1 / Float(k * k)
        Parallel.forEach(n * c) { plane, _ in
            let xp = x.pointer + plane * h * w
            let yp = y.pointer + plane * ho * wo
            for oy in 0..<ho {
                for ox in 0..<wo {
                    var sum: Float = 0
                    for iy in (oy * s)..<(oy * s + k) {
                        let row = xp + iy * w + ox * s
                        for ix in 0..<k { sum += row[ix] }
                    }
                    yp[oy * wo + ox] = sum * scale
                }
            }
        }
        return y
    }

    @discardableResult
    public func backward(_ dy: Tensor) -> Tensor? {
        guard computesInputGradient else { return nil }
        let (n, c, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (k, s) = (kernelSize, stride)
        let ho = dy.shape[2], wo = dy.shape[3]
        let dx = Tensor.reusing(inputGradient, shape: inputShape)
        inputGradient = dx
        let scale = 1 / Float(k * k)
        Parallel.forEach(n * c) { plane, _ in
            let dxp = dx.pointer + plane * h * w
            dxp.update(repeating: 0, count: h * w)
            let dyp = dy.pointer + plane * ho * wo
            for oy in 0..<ho {
                for ox in 0..<wo {
                    let g = dyp[oy * wo + ox] * scale
                    for iy in (oy * s)..<(oy * s + k) {
                        let row = dxp + iy * w + ox * s
                        for ix in 0..<k { row[ix] += g }
                    }
                }
            }
        }
        return dx
    }
}
