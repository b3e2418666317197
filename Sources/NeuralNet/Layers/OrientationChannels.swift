import Foundation
import TensorKit

/// Appends gradient-orientation channels to the network input: the per-pixel votes of a
/// histogram of oriented gradients (Dalal and Triggs, CVPR 2005; the paper's Table 1
/// "HOG") before any pooling into cells, so that the layers after it read the outline cues
/// HOG reads without having to learn them from few images. It has no parameters and draws
/// nothing; what the network learns on top of it is still learnt by the ranking loss.
///
/// Input `[N, C, H, W]` (C = 1 gray or 3 RGB), output `[N, C + bins, H, W]`: the C input
/// channels unchanged, then `bins` orientation channels. Per image, in the arithmetic of
/// `Features/HOG.swift` (scikit-image's `hog`), which `OrientationChannelsTests` checks it
/// against:
/// 1. gray `Y`: the input itself for C = 1; BT.601 luma (`Luma`) for C = 3 (Float32, in that order);
/// 2. gradients, no smoothing: `g_row[y, x] = Y[y+1, x] - Y[y-1, x]` (zero on the first and
///    last row), `g_col[y, x] = Y[y, x+1] - Y[y, x-1]` (zero on the first and last column);
/// 3. in Float64: magnitude `m = sqrt(g_col^2 + g_row^2)`, unsigned orientation
///    `o = (atan2(g_row, g_col) * 180 / pi) mod 180` in [0, 180);
/// 4. channel `C + b` holds `m` (rounded to Float32) where `180 / bins * b <= o < 180 / bins * (b + 1)`
///    and 0 elsewhere: every pixel votes its whole magnitude into one bin.
///
/// Average-pooled by k (as a shallow part's subsampling does), the orientation channels are
/// HOG's cell histograms for k x k cells, before block normalisation.
public final class OrientationChannels: Layer {
    public let bins: Int
    public var computesInputGradient = false

    private var output: Tensor?
    /// The gray planes of the last batch, `[N, H, W]`, reused between calls.
    private var grayPlanes: Tensor?

    public init(bins: Int) {
        precondition(bins >= 1, "orientation channels need at least one bin")
        self.bins = bins
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.count == 4 && (x.shape[1] == 1 || x.shape[1] == 3),
                     "orientation channels expect [N, 1 or 3, H, W], got \(x.shape)")
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let plane = h * w
        let y = Tensor.reusing(output, shape: [n, c + bins, h, w])
        output = y
        let grays = Tensor.reusing(grayPlanes, shape: [n, h, w])
        grayPlanes = grays
        let bins = self.bins
        let binWidth = 180.0 / Double(bins)
        Parallel.forEach(n) { image, _ in
            let src = x.pointer + image * c * plane
            let dst = y.pointer + image * (c + bins) * plane
            dst.update(from: src, count: c * plane)
            let gray = grays.pointer + image * plane
            if c == 1 {
                gray.update(from: src, count: plane)
            } else {
                let (r, g, b) = (src, src + plane, src + 2 * plane)
                for i in 0..<plane { gray[i] = Luma.red * r[i] + Luma.green * g[i] + Luma.blue * b[i] }
            }
            let votes = dst + c * plane
            votes.update(repeating: 0, count: bins * plane)
            for row in 0..<h {
                for col in 0..<w {
                    let gRow: Float = row == 0 || row == h - 1 ? 0 : gray[(row + 1) * w + col] - gray[(row - 1) * w + col]
                    let gCol: Float = col == 0 || col == w - 1 ? 0 : gray[row * w + col + 1] - gray[row * w + col - 1]
                    let (dr, dc) = (Double(gRow), Double(gCol))
                    let magnitude = (dr * dr + dc * dc).squareRoot()
                    var degrees = (atan2(dr, dc) * 180 / Double.pi).truncatingRemainder(dividingBy: 180)
                    if degrees < 0 { degrees += 180 }
                    if degrees >= 180 { degrees = 0 }
                    let bin = min(bins - 1, Int(degrees / binWidth))
                    votes[bin * plane + row * w + col] = Float(magnitude)
                }
            }
        }
        return y
    }

    /// The layer has no parameters and stands in front of the network's first trainable
    /// layer, so nothing ever needs its input gradient.
    @discardableResult
    public func backward(_ outputGradient: Tensor) -> Tensor? { nil }
}
