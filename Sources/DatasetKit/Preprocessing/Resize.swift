/// Resizes a `PlanarImage` `[C, H, W]` to `[C, height, width]`, a preprocessing step (the
/// paper's multi-scale network feeds its ConvNet 225x225 and its shallow parts 57x57 and
/// 29x29 versions of the same image; README, "The paper in brief").
///
/// Two filters, both matching PyTorch to float rounding (checked against
/// `Tests/Fixtures/preprocessing.h5`, see `Tests/Reference/make_preprocessing_fixtures.py`):
/// - `.area`: `F.interpolate(mode="area")`, i.e. adaptive average pooling; output pixel
///   `(i, j)` is the mean of the input window rows `floor(i*H/h) ..< ceil((i+1)*H/h)`,
///   columns `floor(j*W/w) ..< ceil((j+1)*W/w)`, for any ratio.
/// - `.bilinear`: `F.interpolate(mode="bilinear", align_corners=False, antialias=False)`.
///
/// `.automatic` (the default) chooses **per axis**: area along an axis that shrinks or
/// keeps its size, bilinear along an axis that grows. When both axes shrink this is
/// PyTorch's area mode, when both grow its bilinear mode; when one axis shrinks and the
/// other grows it equals area to `(height, W)` followed by bilinear to `(height, width)`
/// (the filters are separable, so the order does not matter). An axis whose size does
/// not change is copied exactly.
///
/// Cost: one pass along the width into a `[C, H, width]` workspace, one along the height
/// into the output; `apply` allocates both, so it belongs in the cacheable stage of a
/// pipeline (see `BatchAssembler`), not in a per-step hot loop.
public struct Resize: Equatable, Sendable {
    public enum Mode: String, CaseIterable, Sendable {
        /// Area when an axis shrinks or keeps its size, bilinear when it grows.
        case automatic
        /// Adaptive average pooling along both axes (also when growing: repeats pixels).
        case area
        /// Bilinear along both axes (also when shrinking: no antialiasing).
        case bilinear
    }

    /// Output height and width in pixels.
    public let height: Int
    public let width: Int
    public let mode: Mode

    /// Throws `PreprocessingError.invalidParameter` unless both sizes are positive.
    /// The mode when none is given (also the spec's `input.resize` default).
    public static let defaultMode = Mode.automatic

    public init(height: Int, width: Int, mode: Mode = Resize.defaultMode) throws {
        guard height > 0, width > 0 else {
            throw PreprocessingError.invalidParameter(name: "resize", value: "\(height)x\(width)",
                                                      reason: "height and width must be positive")
        }
        self.height = height; self.width = width; self.mode = mode
    }

    /// The filter used along an axis going from `input` to `output` samples.
    func filter(from input: Int, to output: Int) -> ResamplingFilter {
        switch mode {
        case .area: return .area(from: input, to: output)
        case .bilinear: return .bilinear(from: input, to: output)
        case .automatic: return output <= input ? .area(from: input, to: output) : .bilinear(from: input, to: output)
        }
    }

    /// The image resized to `[C, height, width]`; returned unchanged when it already has that size.
    public func apply(_ image: PlanarImage) -> PlanarImage {
        let channels = image.channels, inHeight = image.height, inWidth = image.width
        if inHeight == height && inWidth == width { return image }
        var rows = image.pixels  // [C, inHeight, width] after the width pass
        if inWidth != width {
            let f = filter(from: inWidth, to: width)
            rows = [Float](unsafeUninitializedCapacity: channels * inHeight * width) { out, initialized in
                image.pixels.withUnsafeBufferPointer { input in
                    f.weights.withUnsafeBufferPointer { weights in
                        f.first.withUnsafeBufferPointer { first in
                            let taps = f.taps
                            for r in 0..<(channels * inHeight) {
                                let src = input.baseAddress! + r * inWidth, dst = out.baseAddress! + r * width
                                for o in 0..<width {
                                    let window = src + first[o], w = weights.baseAddress! + o * taps
                                    var sum: Float = 0
                                    for t in 0..<taps { sum += w[t] * window[t] }
                                    dst[o] = sum
                                }
                            }
                        }
                    }
                }
                initialized = channels * inHeight * width
            }
        }
        guard inHeight != height else {
            return PlanarImage(channels: channels, height: height, width: width, pixels: rows)
        }
        let f = filter(from: inHeight, to: height)
        let pixels = [Float](unsafeUninitializedCapacity: channels * height * width) { out, initialized in
            rows.withUnsafeBufferPointer { input in
                for c in 0..<channels {
                    let plane = input.baseAddress! + c * inHeight * width
                    for o in 0..<height {
                        let dst = out.baseAddress! + (c * height + o) * width
                        let start = f.first[o]
                        let w0 = f.weights[o * f.taps]
                        let src0 = plane + start * width
                        for x in 0..<width { dst[x] = w0 * src0[x] }
                        for t in 1..<f.taps {
                            let w = f.weights[o * f.taps + t]
                            let src = plane + (start + t) * width
                            for x in 0..<width { dst[x] += w * src[x] }
                        }
                    }
                }
            }
            initialized = channels * height * width
        }
        return PlanarImage(channels: channels, height: height, width: width, pixels: pixels)
    }
}
