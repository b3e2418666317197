extension Augmentation {
    /// The kernel for draws with a resized crop or colour jitter (stages 2 to 6 of
    /// `Augmentation`): writes `C * crop.height * crop.width` values to `out` (`[C, h, w]`),
    /// allocating nothing, in three passes over the output:
    /// 1. geometry: output pixel `(y, x)` reads the shifted, flipped position
    ///    `(u, v) = (y - dy, x' - dx)` with `x' = w - 1 - x` when flipped, else `x`
    ///    (outside `h x w`: clamped, or 0 with `EdgeFill.zero`), and samples the window
    ///    `source` (`draw.resizedCrop`, else `draw.crop`) there bilinearly with half-pixel
    ///    centres: along an axis of `n` window pixels and `m` output pixels,
    ///    `s = max(0, (u + 0.5) * n / m - 0.5)`, `i0 = floor(s)`, `i1 = min(i0 + 1, n - 1)`,
    ///    weights `(1 - (s - i0), s - i0)`; for a window of the output size this copies;
    /// 2. the colour jitter, in place (`ColourJitterDraw.apply`);
    /// 3. the normalisation, in place, `(x - mean[c]) / std[c]`.
    /// Precondition: `validate` passed.
    func renderWithRecipes(_ prepared: PlanarImage, _ draw: AugmentationDraw, into out: UnsafeMutablePointer<Float>) {
        let h = draw.crop.height, w = draw.crop.width, channels = prepared.channels
        let source = draw.resizedCrop ?? draw.crop
        let rowTaps = BilinearTaps(window: source.height, output: h)
        let columnTaps = BilinearTaps(window: source.width, output: w)
        let zeroFill = shiftFill == .zero
        let dx = draw.shift.dx, dy = draw.shift.dy
        let inWidth = prepared.width
        prepared.pixels.withUnsafeBufferPointer { pixels in
            for c in 0..<channels {
                let window = pixels.baseAddress! + (c * prepared.height + source.top) * inWidth + source.left
                for y in 0..<h {
                    let dst = out + (c * h + y) * w
                    var u = y - dy
                    if u < 0 || u >= h {
                        if zeroFill {
                            for x in 0..<w { dst[x] = 0 }
                            continue
                        }
                        u = min(max(u, 0), h - 1)
                    }
                    let (r0, r1, ly) = rowTaps[u]
                    let row0 = window + r0 * inWidth, row1 = window + r1 * inWidth
                    for x in 0..<w {
                        var v = (draw.flipped ? w - 1 - x : x) - dx
                        if v < 0 || v >= w {
                            if zeroFill {
                                dst[x] = 0
                                continue
                            }
                            v = min(max(v, 0), w - 1)
                        }
                        let (c0, c1, lx) = columnTaps[v]
                        let top = (1 - lx) * row0[c0] + lx * row0[c1]
                        let bottom = (1 - lx) * row1[c0] + lx * row1[c1]
                        dst[x] = (1 - ly) * top + ly * bottom
                    }
                }
            }
        }
        draw.colour?.apply(to: out, channels: channels, height: h, width: w)
        if let normalization {
            let plane = h * w
            for c in 0..<channels {
                let mean = normalization.mean[c], std = normalization.std[c]
                for i in (c * plane)..<((c + 1) * plane) { out[i] = (out[i] - mean) / std }
            }
        }
    }
}

/// The bilinear taps of one axis, `window` source pixels to `output` pixels, half-pixel
/// centres (PyTorch `align_corners=False`; the formula in `renderWithRecipes`), computed
/// when asked for, so that nothing is allocated.
struct BilinearTaps {
    let window: Int
    let scale: Double

    init(window: Int, output: Int) {
        self.window = window
        scale = Double(window) / Double(output)
    }

    /// The two source pixels of output pixel `o` and the weight of the second.
    subscript(o: Int) -> (Int, Int, Float) {
        let s = max(0, (Double(o) + 0.5) * scale - 0.5)
        let i0 = min(Int(s), window - 1)
        return (i0, min(i0 + 1, window - 1), Float(s - Double(i0)))
    }
}
