extension Augmentation {
    /// Stages 2 to 6 in one pass: `normalise(jitter(flip(shift(crop(prepared)))))` for the
    /// choices in `draw`, as a new image `[C, crop.height, crop.width]`. Throws
    /// `cropOutsideImage` or `channelMismatch` (naming `identifier`).
    public func render(_ prepared: PlanarImage, _ draw: AugmentationDraw,
                       identifier: String = "image") throws -> PlanarImage {
        try validate(prepared, draw, identifier: identifier)
        let count = prepared.channels * draw.crop.height * draw.crop.width
        let pixels = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            render(prepared, draw, into: buffer.baseAddress!)
            initialized = count
        }
        return PlanarImage(channels: prepared.channels, height: draw.crop.height, width: draw.crop.width,
                           pixels: pixels)
    }

    /// Checks that `draw` fits `prepared` and that the channels match the normalisation.
    func validate(_ prepared: PlanarImage, _ draw: AugmentationDraw, identifier: @autoclosure () -> String) throws {
        let w = draw.crop
        guard w.top >= 0, w.left >= 0, w.height > 0, w.width > 0,
              w.top + w.height <= prepared.height, w.left + w.width <= prepared.width else {
            throw PreprocessingError.cropOutsideImage(window: w, imageHeight: prepared.height,
                                                      imageWidth: prepared.width)
        }
        if let normalization, normalization.channels != prepared.channels {
            throw PreprocessingError.channelMismatch(identifier: identifier(), expected: normalization.channels,
                                                     actual: prepared.channels)
        }
        if let r = draw.resizedCrop {
            guard r.top >= 0, r.left >= 0, r.height > 0, r.width > 0,
                  r.top + r.height <= prepared.height, r.left + r.width <= prepared.width else {
                throw PreprocessingError.cropOutsideImage(window: r, imageHeight: prepared.height,
                                                          imageWidth: prepared.width)
            }
        }
        if draw.colour != nil, prepared.channels != 1 && prepared.channels != 3 {
            throw PreprocessingError.channelMismatch(identifier: identifier(), expected: 3, actual: prepared.channels)
        }
    }

    /// The fused kernel behind `render` and `BatchAssembler`: writes
    /// `C * crop.height * crop.width` values to `out` (`[C, h, w]`), allocating nothing.
    /// For each output row the source row is `clamp(y - dy)` (or a zero row), and the row
    /// is built as three runs (left fill, copied middle, right fill) then reversed when
    /// flipped. Draws with a resized crop or colour jitter go to `renderWithRecipes`.
    /// Precondition: `validate` passed.
    func render(_ prepared: PlanarImage, _ draw: AugmentationDraw, into out: UnsafeMutablePointer<Float>) {
        guard draw.usesOnlyCopyStages else { return renderWithRecipes(prepared, draw, into: out) }
        let h = draw.crop.height, w = draw.crop.width
        let dx = draw.shift.dx, dy = draw.shift.dy
        let inHeight = prepared.height, inWidth = prepared.width
        let zeroFill = shiftFill == .zero
        // Output columns x < lo read left of the crop, x >= hi right of it.
        let lo = min(max(dx, 0), w), hi = min(max(w + dx, 0), w)
        prepared.pixels.withUnsafeBufferPointer { source in
            for c in 0..<prepared.channels {
                let mean = normalization?.mean[c] ?? 0, std = normalization?.std[c] ?? 1
                let plane = source.baseAddress! + c * inHeight * inWidth
                for y in 0..<h {
                    let dst = out + (c * h + y) * w
                    var sy = y - dy
                    if sy < 0 || sy >= h {
                        if zeroFill {
                            let value = (0 - mean) / std
                            for x in 0..<w { dst[x] = value }
                            continue
                        }
                        sy = min(max(sy, 0), h - 1)
                    }
                    let row = plane + (draw.crop.top + sy) * inWidth + draw.crop.left
                    let leftValue = zeroFill ? 0 : row[0], rightValue = zeroFill ? 0 : row[w - 1]
                    for x in 0..<lo { dst[x] = (leftValue - mean) / std }
                    for x in lo..<hi { dst[x] = (row[x - dx] - mean) / std }
                    for x in hi..<w { dst[x] = (rightValue - mean) / std }
                    if draw.flipped {
                        var row = UnsafeMutableBufferPointer(start: dst, count: w)
                        row.reverse()
                    }
                }
            }
        }
    }
}
