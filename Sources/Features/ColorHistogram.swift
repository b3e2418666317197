import DatasetKit

/// Colour histogram (the paper's Table 1, row "Color"): a joint histogram over the three
/// colour components, L1-normalised (the bins sum to 1).
///
/// Each pixel votes 1 into bin `(i0 * b1 + i1) * b2 + i2`, where component `k` with value
/// `v` in [0, 1] falls into `i_k = min(floor(v * b_k), b_k - 1)` (values outside [0, 1]
/// are clamped first). Components:
/// - `.rgb`: (R, G, B) as stored;
/// - `.hsv`: (H, S, V) with V = max(R, G, B), S = (V - min) / V (0 when V = 0), and H in
///   [0, 1) the hexcone hue (0 for gray pixels), the conversion of scikit-image's
///   `rgb2hsv`.
/// A one-channel image is gray: R = G = B.
///
/// Dimension `b0 * b1 * b2`, whatever the image size. Defaults: 8 x 8 x 8 RGB bins (512).
public struct ColorHistogram: FeatureExtractor, Codable, Equatable {
    public enum ColorSpace: String, Codable, Sendable, CaseIterable { case rgb, hsv }

    public let space: ColorSpace
    /// Bins per component, in component order.
    public let bins: [Int]

    public var name: String { "color-histogram" }

    public init(space: ColorSpace = .rgb, bins: [Int] = [8, 8, 8]) throws(FeatureError) {
        guard bins.count == 3, bins.allSatisfy({ $0 >= 1 && $0 <= 256 }) else {
            throw .invalidParameter(name: "color-histogram.bins", value: "\(bins)",
                                    allowed: "three bin counts, each 1...256")
        }
        self.space = space
        self.bins = bins
    }

    public func dimension(height: Int, width: Int) throws(FeatureError) -> Int { bins[0] * bins[1] * bins[2] }

    public func extract(_ image: PlanarImage, into output: UnsafeMutableBufferPointer<Float>,
                        workspace: FeatureWorkspace) throws(FeatureError) {
        try checkOutput(output, for: image)
        guard image.channels == 1 || image.channels == 3 else {
            throw .unsupportedChannels(feature: name, channels: image.channels, allowed: "1 (gray) or 3 (RGB)")
        }
        let plane = image.height * image.width
        let counts = workspace.floats(0, count: output.count)
        counts.initialize(repeating: 0, count: output.count)
        let b0 = bins[0], b1 = bins[1], b2 = bins[2]
        let s0 = Float(b0), s1 = Float(b1), s2 = Float(b2)
        let hsv = space == .hsv
        image.pixels.withUnsafeBufferPointer { p in
            let r = p.baseAddress!
            let g = image.channels == 3 ? r + plane : r
            let b = image.channels == 3 ? r + 2 * plane : r
            for i in 0..<plane {
                var c0 = r[i], c1 = g[i], c2 = b[i]
                if hsv { (c0, c1, c2) = ColorHistogram.hsv(c0, c1, c2) }
                let i0 = ColorHistogram.bin(c0, s0, b0), i1 = ColorHistogram.bin(c1, s1, b1)
                let i2 = ColorHistogram.bin(c2, s2, b2)
                counts[(i0 * b1 + i1) * b2 + i2] += 1
            }
        }
        // Counts up to 2^24 are exact in Float32; one division per bin normalises.
        let total = Float(plane)
        for k in 0..<output.count { output[k] = counts[k] / total }
    }

    @inline(__always) static func bin(_ value: Float, _ scale: Float, _ count: Int) -> Int {
        let v = min(max(value, 0), 1)
        return min(Int(v * scale), count - 1)
    }

    /// (H, S, V) of an RGB triple, as scikit-image's `rgb2hsv`: H in [0, 1).
    static func hsv(_ r: Float, _ g: Float, _ b: Float) -> (Float, Float, Float) {
        let v = max(r, g, b)
        let delta = v - min(r, g, b)
        let s: Float = v == 0 ? 0 : delta / v
        guard delta > 0 else { return (0, s, v) }
        var h: Float
        // Ties resolved as rgb2hsv does: blue over green over red.
        if b == v { h = 4 + (r - g) / delta } else if g == v { h = 2 + (b - r) / delta } else { h = (g - b) / delta }
        h = h / 6
        h -= h.rounded(.down)  // into [0, 1)
        return (h, s, v)
    }
}
