import CPowers
import Foundation
import TensorKit

/// Local response normalisation across channels (Krizhevsky et al. 2012), the
/// normalisation of the paper's AlexNet-like ConvNet part.
///
/// `y[c] = x[c] / s[c]^beta`, `s[c] = k + alpha / size * sum_{c'} x[c']^2` over
/// `c' in [c - size/2, c + (size-1)/2]` (channels outside are 0), exactly as PyTorch's
/// `nn.LocalResponseNorm`. Input and output `[N, C, H, W]`.
public final class LocalResponseNorm: Layer {
    public let size: Int
    public let alpha: Float
    public let beta: Float
    public let k: Float
    public var computesInputGradient = true

    private var input: Tensor?
    private var output: Tensor?
    private var scale: Tensor?
    /// `s^-beta`, kept from the forward pass for the backward one (the same `powf` values).
    private var scalePower: Tensor?
    private var inputGradient: Tensor?
    /// Per worker, one image's `dy y / s`, each computed once for the windows it falls in.
    private var ratios: [Tensor] = []

    /// AlexNet's beta (and PyTorch's default), the one `dr_power_minus_three_quarters` covers.
    public static let alexNetBeta: Float = 0.75

    public init(size: Int = 5, alpha: Float = 1e-4, beta: Float = alexNetBeta, k: Float = 2) {
        self.size = size; self.alpha = alpha; self.beta = beta; self.k = k
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.count == 4, "LRN expects [N, C, H, W], got \(x.shape)")
        let (n, c, hw) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
        let y = Tensor.reusing(output, shape: x.shape); output = y
        let s = Tensor.reusing(scale, shape: x.shape); scale = s
        let power = Tensor.reusing(scalePower, shape: x.shape); scalePower = power
        input = x
        let (before, after) = (size / 2, (size - 1) / 2)
        let a = alpha / Float(size)
        Parallel.forEach(n) { image, _ in
            let xp = x.pointer + image * c * hw, yp = y.pointer + image * c * hw, sp = s.pointer + image * c * hw
            let pp = power.pointer + image * c * hw
            for ch in 0..<c {
                let lo = max(0, ch - before), hi = min(c - 1, ch + after)
                let sc = sp + ch * hw
                sc.update(repeating: 0, count: hw)
                for j in lo...hi {
                    let xj = xp + j * hw
                    for p in 0..<hw { sc[p] += xj[p] * xj[p] }
                }
                let xc = xp + ch * hw, yc = yp + ch * hw, pc = pp + ch * hw
                for p in 0..<hw { sc[p] = self.k + a * sc[p] }
                self.power(sc, count: hw, into: pc)
                for p in 0..<hw { yc[p] = xc[p] * pc[p] }
            }
        }
        return y
    }

    /// `s^-beta` for `count` values: `powf`, or at AlexNet's beta = 3/4 the same bits from
    /// `dr_power_minus_three_quarters` (vectorised; `PowersTests` checks every positive float).
    private func power(_ s: UnsafeMutablePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        if beta == Self.alexNetBeta {
            dr_power_minus_three_quarters(s, Int32(count), out)
        } else {
            for p in 0..<count { out[p] = powf(s[p], -beta) }
        }
    }

    /// `dx[c] = dy[c] * s[c]^-beta - 2 * alpha * beta / size * x[c] * sum_{c' : c in window(c')} dy[c'] * y[c'] / s[c']`.
    @discardableResult
    public func backward(_ dy: Tensor) -> Tensor? {
        guard computesInputGradient, let x = input, let y = output, let s = scale, let power = scalePower else {
            return nil
        }
        let (n, c, hw) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
        let dx = Tensor.reusing(inputGradient, shape: x.shape); inputGradient = dx
        Tensor.reusing(&ratios, workers: min(Parallel.threads, n), count: c * hw)
        let scratch = ratios
        let (before, after) = (size / 2, (size - 1) / 2)
        let factor = 2 * alpha * beta / Float(size)
        Parallel.forEach(n) { image, worker in
            let off = image * c * hw
            let xp = x.pointer + off, yp = y.pointer + off, sp = s.pointer + off, pp = power.pointer + off
            let dyp = dy.pointer + off, dxp = dx.pointer + off
            let rp = scratch[worker].pointer
            for i in 0..<(c * hw) { rp[i] = dyp[i] * yp[i] / sp[i] }
            for ch in 0..<c {
                // c is in the window of c' when c' - before <= c <= c' + after; the window's
                // terms are added in channel order, from 0, as one pixel at a time would.
                let lo = max(0, ch - after), hi = min(c - 1, ch + before)
                let dxc = dxp + ch * hw, xc = xp + ch * hw, pc = pp + ch * hw, dyc = dyp + ch * hw
                let first = rp + lo * hw
                for p in 0..<hw { dxc[p] = 0 + first[p] }  // from +0, as the sum starts: -0 becomes +0
                if lo < hi {
                    for j in (lo + 1)...hi {
                        let rj = rp + j * hw
                        for p in 0..<hw { dxc[p] += rj[p] }
                    }
                }
                for p in 0..<hw { dxc[p] = dyc[p] * pc[p] - factor * xc[p] * dxc[p] }
            }
        }
        return dx
    }
}
