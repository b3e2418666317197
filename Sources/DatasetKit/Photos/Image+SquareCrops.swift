import Imaging

extension Image {
    /// Each window cut out and resized to `size x size` as 8-bit RGB planes, the crops one
    /// after the other: `[windows.count, 3, size, size]` flat.
    ///
    /// Per crop (`side x side` pixels): RGB values in [0, 1] as `planarRGBFloats()` gives
    /// them (gray replicated, alpha composited on white), resized by `Resize` in `.area`
    /// mode (adaptive average pooling, PyTorch's `F.interpolate(mode="area")`; it repeats
    /// pixels when a crop is smaller than `size`), then `round(255 v)`: each crop is what
    /// an 8-bit image file of it would hold.
    ///
    /// The width pass is done here, straight from the 8-bit samples (their values looked up
    /// in `compositedSampleValues`), into a `[3, side, size]` buffer, with the same sums in
    /// the same order as `Resize`'s own width pass; `Resize` then does the height pass. So
    /// a crop never exists at full resolution in Float: the memory beyond the decoded
    /// photograph is `12 * side * size` bytes, and the work `3 * side^2` multiply-adds.
    func squareCrops(_ windows: [CropWindow], size: Int) throws -> [UInt8] {
        let resize = try Resize(height: size, width: size, mode: .area)
        var planes = [UInt8]()
        planes.reserveCapacity(windows.count * 3 * size * size)
        for window in windows {
            precondition(window.top >= 0 && window.left >= 0 && window.height > 0 && window.width > 0
                         && window.top + window.height <= height && window.left + window.width <= width,
                         "crop \(window) outside a \(width) x \(height) image")
            let rows = widthPass(window, to: size)
            let crop = resize.apply(PlanarImage(channels: 3, height: window.height, width: size, pixels: rows))
            planes.append(contentsOf: crop.pixels.map { UInt8((min(max($0, 0), 1) * 255).rounded()) })
        }
        return planes
    }

    /// The window's rows area-resampled to `size` columns, `[3, window.height, size]`:
    /// output `(c, y, o)` is `sum over t of weight[o, t] * v(c, y, first[o] + t)` in t order,
    /// v the composited value of the sample.
    private func widthPass(_ window: CropWindow, to size: Int) -> [Float] {
        let filter = ResamplingFilter.area(from: window.width, to: size)
        let taps = filter.taps, channels = channels, width = width
        let colour = channels >= 3 ? 3 : 1, alphaChannel = hasAlpha ? channels - 1 : -1
        var rows = [Float](repeating: 0, count: 3 * window.height * size)
        pixels.withUnsafeBufferPointer { samples in
            compositedSampleValues.withUnsafeBufferPointer { value in
                filter.weights.withUnsafeBufferPointer { weights in
                    filter.first.withUnsafeBufferPointer { first in
                        rows.withUnsafeMutableBufferPointer { rows in
                            for y in 0..<window.height {
                                let row = samples.baseAddress! + ((window.top + y) * width + window.left) * channels
                                for c in 0..<3 {
                                    let dst = rows.baseAddress! + (c * window.height + y) * size
                                    let sample = row + (colour == 3 ? c : 0)
                                    for o in 0..<size {
                                        let w = weights.baseAddress! + o * taps
                                        var sum: Float = 0
                                        for t in 0..<taps {
                                            let at = (first[o] + t) * channels
                                            let alpha = alphaChannel >= 0 ? Int(row[at + alphaChannel]) : 255
                                            sum += w[t] * value[Int(sample[at]) &+ 256 &* alpha]
                                        }
                                        dst[o] = sum
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return rows
    }
}

/// The value `planarRGBFloats()` gives a colour sample `s` under alpha `a` (255 when the
/// image has no alpha), at `[s + 256 * a]`: computed once by Imaging's own conversion of
/// every (gray, alpha) pair, so the crops use exactly its formula.
private let compositedSampleValues: [Float] = {
    var pairs = [UInt8]()
    pairs.reserveCapacity(2 * 65_536)
    for alpha in 0..<256 {
        for sample in 0..<256 { pairs += [UInt8(sample), UInt8(alpha)] }
    }
    return Array(Image(width: 65_536, height: 1, channels: 2, pixels: pairs).planarRGBFloats().prefix(65_536))
}()
