import DatasetKit
import Foundation

/// Uniform local binary pattern texture histogram (Ojala, Pietikainen and Maenpaa, PAMI
/// 2002; PAPER.md, Table 1, texture features), with the codes computed exactly as
/// scikit-image's `local_binary_pattern(image, P, R, method="uniform")` (0.26,
/// `_texture.pyx`), which `Tests/Fixtures/features.h5` checks.
///
/// On the gray image (BT.601, `GrayConversion`), in Float64, for every pixel `(r, c)`:
/// 1. `P` samples on a circle of radius `R`: sample `p` at
///    `(r + dr_p, c + dc_p)`, `dr_p = round(-R sin(2 pi p / P), 5)`,
///    `dc_p = round(R cos(2 pi p / P), 5)` (rounded to 5 decimals as skimage does),
///    (R rounded to Float32 first, as skimage's C signature does), bilinearly interpolated (`floor`/`ceil` corners), pixels outside the image 0.
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
        let gray32 = workspace.floats(1, count: h * w)
        try GrayConversion.gray(of: image, into: gray32, feature: name)
        // Zero padding of `pad` pixels on each side makes every corner an array read.
        let pad = Int(radius.rounded(.up)) + 1
        let pw = w + 2 * pad, ph = h + 2 * pad
        let padded = workspace.doubles(1, count: ph * pw)
        padded.initialize(repeating: 0, count: ph * pw)
        for y in 0..<h {
            for x in 0..<w { padded[(y + pad) * pw + x + pad] = Double(gray32[y * w + x]) }
        }
        let offsets = offsets()
        // Per sample and per row / column: the padded index of the floor and ceil corners
        // and the fraction, exactly as skimage computes them from `r + dr_p` (they depend
        // on r, not only on dr_p).
        let P = points
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
        // Where a sample's corner columns are c + constant for every c (always, for
        // R < 2^40), the inner loop reads contiguous memory and vectorises.
        var columnShift = [(low: Int, high: Int)?](repeating: nil, count: P)
        for p in 0..<P {
            let low = columnLow[p * w], high = columnHigh[p * w]
            if (0..<w).allSatisfy({ columnLow[p * w + $0] == low + $0 && columnHigh[p * w + $0] == high + $0 }) {
                columnShift[p] = (low, high)
            }
        }
        // Bits of one row: bit p of `bits[c]` is s_p of pixel (r, c).
        let bits = workspace.ints(4, count: w)
        let lowMask = (1 << (P - 1)) - 1
        for r in 0..<h {
            let centre = padded + (r + pad) * pw + pad
            for c in 0..<w { bits[c] = 0 }
            for p in 0..<P {
                let r0 = rowLow[p * h + r], r1 = rowHigh[p * h + r], dr = rowFraction[p * h + r]
                let dc = columnFraction + p * w
                if let shift = columnShift[p] {
                    let top0 = padded + r0 + shift.low, top1 = padded + r0 + shift.high
                    let bottom0 = padded + r1 + shift.low, bottom1 = padded + r1 + shift.high
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
                    let c0 = columnLow + p * w, c1 = columnHigh + p * w
                    for c in 0..<w {
                        let a = c0[c], b = c1[c], f = dc[c]
                        let top = (1 - f) * padded[r0 + a] + f * padded[r0 + b]
                        let bottom = (1 - f) * padded[r1 + a] + f * padded[r1 + b]
                        let sample = (1 - dr) * top + dr * bottom
                        bits[c] |= (sample - centre[c] >= 0 ? 1 : 0) << p
                    }
                }
            }
            for c in 0..<w {
                // U counts changes between neighbours p, p+1 for p < P-1 (no wrap-around).
                let pattern = bits[c]
                let changes = ((pattern ^ (pattern >> 1)) & lowMask).nonzeroBitCount
                codes[r * w + c] = Float(changes <= 2 ? pattern.nonzeroBitCount : P + 1)
            }
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
