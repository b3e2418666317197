import DatasetKit

/// Haar wavelet feature (the paper's Table 1, row "Wavelet"): statistics of the sub-bands
/// of a multi-level 2-D Haar decomposition of the gray image (BT.601, see
/// `GrayConversion`).
///
/// One level maps an approximation `x` of size `h x w` to four bands of size
/// `floor(h/2) x floor(w/2)` (an odd last row or column is dropped); with
/// `a = x[2i, 2j], b = x[2i, 2j+1], c = x[2i+1, 2j], d = x[2i+1, 2j+1]`:
///
///     approximation A = (a + b + c + d) / 2
///     horizontal    H = (a + b - c - d) / 2     (rows differ: horizontal edges)
///     vertical      V = (a - b + c - d) / 2     (columns differ: vertical edges)
///     diagonal      D = (a - b - c + d) / 2
///
/// (the orthonormal Haar transform; signs do not matter below). Level 1 starts from the
/// gray image, level `l + 1` from level `l`'s A.
///
/// Each band is split into a `grid x grid` layout of regions (region `r` of `n` rows covers
/// rows `floor(r n / grid) ..< floor((r + 1) n / grid)`, the same for columns), and each
/// region gives two numbers: the mean absolute value `mean |c|` and the energy
/// `mean c^2`. Layout of the vector: for level 1...L, for band H, V, D, for region rows,
/// for region columns: (mean |c|, energy); then the same two numbers for each region of
/// the last approximation A_L. Dimension `(3 L + 1) * grid^2 * 2`. Sums are accumulated
/// in Double in row-major order.
///
/// Defaults: 3 levels, a 2 x 2 grid (56 values). The image must be at least
/// `grid * 2^L` pixels on each side.
public struct HaarWavelet: FeatureExtractor, Codable, Equatable {
    public let levels: Int
    public let grid: Int

    public var name: String { "wavelet" }

    public init(levels: Int = 3, grid: Int = 2) throws(FeatureError) {
        guard levels >= 1 && levels <= 12 else {
            throw .invalidParameter(name: "wavelet.levels", value: "\(levels)", allowed: "1...12")
        }
        guard grid >= 1 && grid <= 64 else {
            throw .invalidParameter(name: "wavelet.grid", value: "\(grid)", allowed: "1...64")
        }
        self.levels = levels
        self.grid = grid
    }

    public func dimension(height: Int, width: Int) throws(FeatureError) -> Int {
        let side = grid << levels
        guard height >= side && width >= side else {
            throw .imageTooSmall(feature: name, height: height, width: width, minimum: "\(side)x\(side) for "
                                 + "\(levels) levels and a \(grid)x\(grid) grid")
        }
        return (3 * levels + 1) * grid * grid * 2
    }

    public func extract(_ image: PlanarImage, into output: UnsafeMutableBufferPointer<Float>,
                        workspace: FeatureWorkspace) throws(FeatureError) {
        try checkOutput(output, for: image)
        var h = image.height, w = image.width
        var approximation = workspace.floats(0, count: h * w)
        try GrayConversion.gray(of: image, into: approximation, feature: name)
        // Level l writes its A into the other buffer (ping-pong); bands go to slot 2.
        var next = workspace.floats(1, count: (h / 2) * (w / 2))
        let bands = workspace.floats(2, count: 3 * (h / 2) * (w / 2))
        var k = 0
        for _ in 0..<levels {
            let bh = h / 2, bw = w / 2, n = bh * bw
            let horizontal = bands, vertical = bands + n, diagonal = bands + 2 * n
            for i in 0..<bh {
                let top = approximation + 2 * i * w, bottom = top + w
                for j in 0..<bw {
                    let a = top[2 * j], b = top[2 * j + 1], c = bottom[2 * j], d = bottom[2 * j + 1]
                    next[i * bw + j] = (a + b + c + d) * 0.5
                    horizontal[i * bw + j] = (a + b - c - d) * 0.5
                    vertical[i * bw + j] = (a - b + c - d) * 0.5
                    diagonal[i * bw + j] = (a - b - c + d) * 0.5
                }
            }
            for band in 0..<3 {  // H, V, D
                k = writeRegionStatistics(bands + band * n, height: bh, width: bw, into: output, at: k)
            }
            swap(&approximation, &next)
            h = bh; w = bw
        }
        k = writeRegionStatistics(approximation, height: h, width: w, into: output, at: k)
        precondition(k == output.count, "wavelet layout wrote \(k) of \(output.count) values")
    }

    /// Writes (mean |c|, mean c^2) of each grid region of the `height x width` band.
    private func writeRegionStatistics(_ band: UnsafeMutablePointer<Float>, height: Int, width: Int,
                                       into output: UnsafeMutableBufferPointer<Float>, at start: Int) -> Int {
        var k = start
        for ry in 0..<grid {
            let y0 = ry * height / grid, y1 = (ry + 1) * height / grid
            for rx in 0..<grid {
                let x0 = rx * width / grid, x1 = (rx + 1) * width / grid
                var absolute = 0.0, energy = 0.0
                for y in y0..<y1 {
                    let row = band + y * width
                    for x in x0..<x1 {
                        let v = Double(row[x])
                        absolute += abs(v)
                        energy += v * v
                    }
                }
                let count = Double((y1 - y0) * (x1 - x0))
                output[k] = Float(absolute / count)
                output[k + 1] = Float(energy / count)
                k += 2
            }
        }
        return k
    }
}
