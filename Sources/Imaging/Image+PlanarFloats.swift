extension Image {
    /// The samples as Float32 planes in [0, 1]: value `v / 255`, shape (channels, height, width),
    /// i.e. CHW, one image of an NCHW batch. Every channel is kept, alpha included.
    public func planarFloats() -> [Float] {
        let planeSize = width * height
        var planes = [Float](repeating: 0, count: channels * planeSize)
        for i in 0..<planeSize {
            for c in 0..<channels {
                planes[c * planeSize + i] = Float(pixels[i * channels + c]) / 255
            }
        }
        return planes
    }

    /// Three Float32 planes R, G, B in [0, 1], shape (3, height, width), whatever `channels` is:
    /// gray is replicated to R = G = B, and alpha is composited over white,
    /// `c' = (c * a + 255 * (255 - a)) / 255²` (a transparent pixel becomes white, as a viewer
    /// shows it, instead of the arbitrary colour stored under it).
    public func planarRGBFloats() -> [Float] {
        var planes = [Float](repeating: 0, count: 3 * width * height)
        planes.withUnsafeMutableBufferPointer { writePlanarRGBFloats(into: $0) }
        return planes
    }

    /// `planarRGBFloats()` written into caller-owned storage of exactly `3 * height * width` floats,
    /// for loops that reuse one buffer.
    public func writePlanarRGBFloats(into planes: UnsafeMutableBufferPointer<Float>) {
        let planeSize = width * height
        precondition(planes.count == 3 * planeSize,
                     "RGB planes of a \(width) x \(height) image need \(3 * planeSize) floats, got \(planes.count)")
        let colorChannels = channels >= 3 ? 3 : 1
        for i in 0..<planeSize {
            let base = i * channels
            let alpha = hasAlpha ? Float(pixels[base + channels - 1]) : 255
            for c in 0..<3 {
                let sample = Float(pixels[base + (colorChannels == 3 ? c : 0)])
                planes[c * planeSize + i] = (sample * alpha + 255 * (255 - alpha)) / (255 * 255)
            }
        }
    }
}
