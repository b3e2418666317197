import TensorKit

/// A direct (seven nested loops) convolution with Double accumulation, kept beside the
/// fast im2col + GEMM `Conv2D` as the reference its tests compare against.
public enum ReferenceConvolution {
    /// `y[n, o, oy, ox] = b[o] + sum_{c, ky, kx} w[o, c, ky, kx] * x[n, c, oy*s - p + ky, ox*s - p + kx]`.
    public static func forward(x: Tensor, weight w: Tensor, bias b: Tensor, stride s: Int, padding p: Int) -> Tensor {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, k) = (w.shape[0], w.shape[2])
        let ho = (h + 2 * p - k) / s + 1, wo = (wd + 2 * p - k) / s + 1
        let y = Tensor(zeros: [n, o, ho, wo])
        for ni in 0..<n { for oi in 0..<o { for oy in 0..<ho { for ox in 0..<wo {
            var sum = Double(b[flat: oi])
            for ci in 0..<c { for ky in 0..<k { for kx in 0..<k {
                let iy = oy * s - p + ky, ix = ox * s - p + kx
                guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                sum += Double(x[flat: ((ni * c + ci) * h + iy) * wd + ix])
                    * Double(w[flat: ((oi * c + ci) * k + ky) * k + kx])
            } } }
            y[flat: ((ni * o + oi) * ho + oy) * wo + ox] = Float(sum)
        } } } }
        return y
    }

    /// Gradients of `sum(y * dy)` with respect to x, w and b.
    public static func backward(x: Tensor, weight w: Tensor, dy: Tensor, stride s: Int, padding p: Int)
        -> (dx: Tensor, dw: Tensor, db: Tensor) {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, k) = (w.shape[0], w.shape[2])
        let ho = dy.shape[2], wo = dy.shape[3]
        var dx = [Double](repeating: 0, count: x.count)
        var dw = [Double](repeating: 0, count: w.count)
        var db = [Double](repeating: 0, count: o)
        for ni in 0..<n { for oi in 0..<o { for oy in 0..<ho { for ox in 0..<wo {
            let g = Double(dy[flat: ((ni * o + oi) * ho + oy) * wo + ox])
            db[oi] += g
            for ci in 0..<c { for ky in 0..<k { for kx in 0..<k {
                let iy = oy * s - p + ky, ix = ox * s - p + kx
                guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                let xi = ((ni * c + ci) * h + iy) * wd + ix
                let wi = ((oi * c + ci) * k + ky) * k + kx
                dx[xi] += g * Double(w[flat: wi])
                dw[wi] += g * Double(x[flat: xi])
            } } }
        } } } }
        return (Tensor(shape: x.shape, values: dx.map(Float.init)),
                Tensor(shape: w.shape, values: dw.map(Float.init)),
                Tensor(shape: [o], values: db.map(Float.init)))
    }
}
