import DatasetKit
import Foundation

/// Uniform local binary pattern texture histogram (Ojala, Pietikainen and Maenpaa, PAMI
/// 2002). It stands in for the texture feature among the hand-crafted baselines of the
/// paper's Table 1 (spatial-pyramid texton histograms, not implemented here). The codes
/// are computed exactly as scikit-image's `local_binary_pattern(image, P, R,
/// method="uniform")` (0.26, `_texture.pyx`), which `Tests/Fixtures/features.h5` checks.
///
/// On the gray image (BT.601, `GrayConversion`), in Float64, for every pixel `(r, c)`:
/// 1. `P` samples on a circle of radius `R`: sample `p` at
///    `(r + dr_p, c + dc_p)`, `dr_p = round(-R sin(2 pi p / P), 5)`,
///    `dc_p = round(R cos(2 pi p / P), 5)` (rounded to 5 decimals as skimage does, with R
///    rounded to Float32 first, as skimage's C signature does), bilinearly interpolated
///    (`floor`/`ceil` corners), pixels outside the image 0.
/// 2. Bits `s_p = [sample_p - centre >= 0]`.
/// 3. Code: `U = sum_{p=0}^{P-2} |s_p - s_{p+1}|` (skimage does not count the wrap-around
///    pair `(P-1, 0)`; kept for parity); if `U <= 2` the code is the number of ones
///    (0...P), otherwise `P + 1`.
///
/// The feature is the histogram of the codes over all pixels, `P + 2` bins, divided by
/// the pixel count (sums to 1). Defaults: P = 8, R = 1 (10 values).
public struct LocalBinaryPattern: FeatureExtractor, Codable, Equatable {
    /// Number of circle samples P.
    public let points: Int
    /// Circle radius R in pixels.
    public let radius: Double

    public var name: String { "lbp" }

    public init(points: Int = 8, radius: Double = 1) throws(FeatureError) {
        guard points >= 1 && points <= 32 else {
            throw .invalidParameter(name: "lbp.points", value: "\(points)", allowed: "1...32")
        }
        guard radius > 0 && radius <= 16 else {
            throw .invalidParameter(name: "lbp.radius", value: "\(radius)", allowed: "0 < R <= 16")
        }
        self.points = points
        self.radius = radius
    }

    public func dimension(height: Int, width: Int) throws(FeatureError) -> Int { points + 2 }

    public func extract(_ image: PlanarImage, into output: UnsafeMutableBufferPointer<Float>,
                        workspace: FeatureWorkspace) throws(FeatureError) {
        try checkOutput(output, for: image)
        let codes = workspace.floats(0, count: image.height * image.width)
        try self.codes(of: image, into: codes, workspace: workspace)
        let counts = workspace.doubles(0, count: points + 2)
        counts.initialize(repeating: 0, count: points + 2)
        let plane = image.height * image.width
        for i in 0..<plane { counts[Int(codes[i])] += 1 }
        for k in 0..<(points + 2) { output[k] = Float(counts[k] / Double(plane)) }
    }

    /// The `H x W` map of uniform codes (values 0...P+1), skimage's `local_binary_pattern`.
    public func codes(of image: PlanarImage) throws(FeatureError) -> [Float] {
        var result = [Float](repeating: 0, count: image.height * image.width)
        var failure: FeatureError?
        let workspace = FeatureWorkspace()
        result.withUnsafeMutableBufferPointer { buffer in
            do throws(FeatureError) { try codes(of: image, into: buffer.baseAddress!, workspace: workspace) } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return result
    }

    /// Circle offsets `(dr_p, dc_p)`, rounded to 5 decimals like numpy's `round(x, 5)`.
    func offsets() -> [(row: Double, column: Double)] {
        (0..<points).map { p in
            let angle = 2 * Double.pi * Double(p) / Double(points)
            let r = Double(Float(radius))  // skimage takes R as a C float
            return (LocalBinaryPattern.round5(-r * sin(angle)), LocalBinaryPattern.round5(r * cos(angle)))
        }
    }

    /// numpy's `round(x, 5)`: `rint(x * 1e5) / 1e5` (halves to even).
    static func round5(_ x: Double) -> Double { (x * 1e5).rounded(.toNearestOrEven) / 1e5 }

    private func codes(of image: PlanarImage, into codes: UnsafeMutablePointer<Float>,
                       workspace: FeatureWorkspace) throws(FeatureError) {
        let h = image.height, w = image.width
        let padded = try paddedGray(of: image, workspace: workspace)
        let corners = sampleCorners(height: h, width: w, padded: padded, workspace: workspace)
        // Bits of one row: bit p of `bits[c]` is s_p of pixel (r, c).
        let bits = workspace.ints(4, count: w)
        for r in 0..<h {
            rowBits(r, padded: padded, corners: corners, into: bits)
            uniformCodes(bits, count: w, into: codes + r * w)
        }
    }

    /// The gray image in Float64 with `pad` zero pixels on each side, row-major with row
    /// length `width` (= W + 2 pad): every bilinear corner is then an array read.
    private struct PaddedGray {
        let pixels: UnsafeMutablePointer<Double>
        let pad: Int
        let width: Int
    }

    /// For every sample p and every row r (column c) of the image: the padded row offsets
    /// (column indices) of the floor and ceil corners and the fraction, as skimage computes
    /// them from `r + dr_p` (they depend on r, not only on dr_p). Tables `[P, H]` and `[P, W]`.
    private struct SampleCorners {
        /// H and W: the row length of the `[P, H]` and `[P, W]` tables.
        let height, width: Int
        let rowLow, rowHigh: UnsafeMutablePointer<Int>
        let rowFraction: UnsafeMutablePointer<Double>
        let columnLow, columnHigh: UnsafeMutablePointer<Int>
        let columnFraction: UnsafeMutablePointer<Double>
        /// Per sample, the corner columns as `c + low` and `c + high` where that holds for
        /// every c (always, for R < 2^40): the inner loop then reads contiguous memory and
        /// vectorises.
        let columnShift: [(low: Int, high: Int)?]
    }

    /// The gray image (BT.601) in Float64, zero-padded by `ceil(R) + 1` pixels on each side.
    private func paddedGray(of image: PlanarImage, workspace: FeatureWorkspace) throws(FeatureError) -> PaddedGray {
        let h = image.height, w = image.width
        let gray32 = workspace.floats(1, count: h * w)
        try GrayConversion.gray(of: image, into: gray32, feature: name)
        let pad = Int(radius.rounded(.up)) + 1
        let pw = w + 2 * pad, ph = h + 2 * pad
        let padded = workspace.doubles(1, count: ph * pw)
        padded.initialize(repeating: 0, count: ph * pw)
        for y in 0..<h {
            for x in 0..<w { padded[(y + pad) * pw + x + pad] = Double(gray32[y * w + x]) }
        }
        return PaddedGray(pixels: padded, pad: pad, width: pw)
    }

    /// The sampling geometry of step 1: every sample's corners and fractions, for every row
    /// and every column.
    private func sampleCorners(height h: Int, width w: Int, padded: PaddedGray,
                               workspace: FeatureWorkspace) -> SampleCorners {
        let offsets = offsets()
        let P = points, pad = padded.pad, pw = padded.width
        let rowLow = workspace.ints(0, count: P * h), rowHigh = workspace.ints(1, count: P * h)
        let rowFraction = workspace.doubles(2, count: P * h)
        let columnLow = workspace.ints(2, count: P * w), columnHigh = workspace.ints(3, count: P * w)
        let columnFraction = workspace.doubles(3, count: P * w)
        for p in 0..<P {
            for r in 0..<h {
                let x = Double(r) + offsets[p].row, low = x.rounded(.down)
                rowLow[p * h + r] = (Int(low) + pad) * pw
                rowHigh[p * h + r] = (Int(x.rounded(.up)) + pad) * pw
                rowFraction[p * h + r] = x - low
            }
            for c in 0..<w {
                let x = Double(c) + offsets[p].column, low = x.rounded(.down)
                columnLow[p * w + c] = Int(low) + pad
                columnHigh[p * w + c] = Int(x.rounded(.up)) + pad
                columnFraction[p * w + c] = x - low
            }
        }
        var columnShift = [(low: Int, high: Int)?](repeating: nil, count: P)
        for p in 0..<P {
            let low = columnLow[p * w], high = columnHigh[p * w]
            if (0..<w).allSatisfy({ columnLow[p * w + $0] == low + $0 && columnHigh[p * w + $0] == high + $0 }) {
                columnShift[p] = (low, high)
            }
        }
        return SampleCorners(height: h, width: w, rowLow: rowLow, rowHigh: rowHigh, rowFraction: rowFraction, columnLow: columnLow,
                             columnHigh: columnHigh, columnFraction: columnFraction, columnShift: columnShift)
    }

    /// Steps 1 and 2 (see the type's documentation) for row `r`: bit p of `bits[c]` is
    /// s_p of pixel (r, c).
    private func rowBits(_ r: Int, padded: PaddedGray, corners: SampleCorners, into bits: UnsafeMutablePointer<Int>) {
        let h = corners.height, w = corners.width
        let image = padded.pixels, pw = padded.width, pad = padded.pad
        let centre = image + (r + pad) * pw + pad
        for c in 0..<w { bits[c] = 0 }
        for p in 0..<points {
            let r0 = corners.rowLow[p * h + r], r1 = corners.rowHigh[p * h + r], dr = corners.rowFraction[p * h + r]
            let dc = corners.columnFraction + p * w
            if let shift = corners.columnShift[p] {
                let top0 = image + r0 + shift.low, top1 = image + r0 + shift.high
                let bottom0 = image + r1 + shift.low, bottom1 = image + r1 + shift.high
                if dr == 0 && shift.low == shift.high {
                    // On the pixel grid (the axis-aligned samples): the bilinear weights are
                    // 1 and 0, so skimage's sample is exactly the pixel value.
                    for c in 0..<w { bits[c] |= (top0[c] - centre[c] >= 0 ? 1 : 0) << p }
                } else {
                    LocalBinaryPattern.sampleRow(top0: top0, top1: top1, bottom0: bottom0, bottom1: bottom1,
                                                 columnFraction: dc, rowFraction: dr, centre: centre,
                                                 bit: p, count: w, bits: bits)
                }
            } else {
                let c0 = corners.columnLow + p * w, c1 = corners.columnHigh + p * w
                for c in 0..<w {
                    let a = c0[c], b = c1[c], f = dc[c]
                    let top = (1 - f) * image[r0 + a] + f * image[r0 + b]
                    let bottom = (1 - f) * image[r1 + a] + f * image[r1 + b]
                    let sample = (1 - dr) * top + dr * bottom
                    bits[c] |= (sample - centre[c] >= 0 ? 1 : 0) << p
                }
            }
        }
    }

    /// Step 3 for one row: the uniform code of each pixel's bits. U counts the changes
    /// between neighbours p, p+1 for p < P-1 (no wrap-around).
    private func uniformCodes(_ bits: UnsafeMutablePointer<Int>, count: Int, into codes: UnsafeMutablePointer<Float>) {
        let lowMask = (1 << (points - 1)) - 1
        for c in 0..<count {
            let pattern = bits[c]
            let changes = ((pattern ^ (pattern >> 1)) & lowMask).nonzeroBitCount
            codes[c] = Float(changes <= 2 ? pattern.nonzeroBitCount : points + 1)
        }
    }

    /// One sample for a row of pixels whose corners are contiguous: skimage's bilinear
    /// interpolation `(1 - dr) ((1 - dc) a + dc b) + dr ((1 - dc) c + dc d)` in Float64,
    /// four columns at a time, then bit `bit` of `bits[c]` = `[sample - centre >= 0]`.
    @inline(__always)
    static func sampleRow(top0: UnsafePointer<Double>, top1: UnsafePointer<Double>, bottom0: UnsafePointer<Double>,
                          bottom1: UnsafePointer<Double>, columnFraction dc: UnsafePointer<Double>,
                          rowFraction dr: Double, centre: UnsafePointer<Double>, bit: Int, count: Int,
                          bits: UnsafeMutablePointer<Int>) {
        typealias V = SIMD4<Double>
        func load(_ p: UnsafePointer<Double>, _ i: Int) -> V { UnsafeRawPointer(p + i).loadUnaligned(as: V.self) }
        let one = V(repeating: 1), rowWeight = V(repeating: dr), zero = V()
        let set = SIMD4<Int64>(repeating: 1 << Int64(bit)), none = SIMD4<Int64>()
        var c = 0
        while c + 4 <= count {
            let f = load(dc, c)
            let top = (one - f) * load(top0, c) + f * load(top1, c)
            let bottom = (one - f) * load(bottom0, c) + f * load(bottom1, c)
            let sample = (one - rowWeight) * top + rowWeight * bottom
            let on = (sample - load(centre, c)) .>= zero
            let old = UnsafeRawPointer(bits + c).loadUnaligned(as: SIMD4<Int64>.self)
            let new = old | none.replacing(with: set, where: on)
            UnsafeMutableRawPointer(bits + c).storeBytes(of: new, as: SIMD4<Int64>.self)
            c += 4
        }
        while c < count {
            let f = dc[c]
            let top = (1 - f) * top0[c] + f * top1[c]
            let bottom = (1 - f) * bottom0[c] + f * bottom1[c]
            let sample = (1 - dr) * top + dr * bottom
            bits[c] |= (sample - centre[c] >= 0 ? 1 : 0) << bit
            c += 1
        }
    }
}
