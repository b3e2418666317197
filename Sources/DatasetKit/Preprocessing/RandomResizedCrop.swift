import Foundation
import TensorKit

/// A random crop of a random area and aspect ratio, resized back to the output size, as
/// torchvision's `RandomResizedCrop` (Szegedy et al., "Going deeper with convolutions",
/// 2015): an optional training augmentation beyond the paper (off by default).
///
/// The window of an `H x W` image (torchvision's `get_params`): up to 10 attempts, each
/// drawing `target = H * W * U(scale)` and `aspect = exp(U(log ratio.lower, log ratio.upper))`,
/// then `w = round(sqrt(target * aspect))`, `h = round(sqrt(target / aspect))` (round half
/// to even, as Python's `round`); the first attempt with `0 < w <= W` and `0 < h <= H`
/// draws `top` uniformly from `0 ... H - h`, then `left` from `0 ... W - w`. When no
/// attempt fits, the centred crop of the whole image with its aspect ratio clamped to
/// `ratio` (`W / H` below `ratio.lower`: `w = W`, `h = round(w / ratio.lower)`; above
/// `ratio.upper`: `h = H`, `w = round(h * ratio.upper)`; else the whole image).
///
/// Every draw is one `nextUniform()` of the stream: `U(a, b) = a + (b - a) * u`, and an
/// integer in `0 ... n - 1` is `floor(u * n)`; so a window costs 2 draws per attempt
/// plus 2 for the place (none when the fallback is taken).
///
/// The window is resampled to the output size bilinearly with half-pixel centres
/// (`BilinearTaps`, the formula of `ResamplingFilter.bilinear`: PyTorch
/// `interpolate(mode="bilinear", align_corners=False)`); torchvision's `resized_crop` with `antialias=True` and PIL's
/// bilinear `resize` give the same values when the window is not larger than the output,
/// which holds here (the window is cut from the prepared image, whose size is the output
/// size). Checked against torchvision and PIL in `Tests/Fixtures/augmentation-reference.h5`
/// (`Tests/Reference/make_augmentation_fixtures.py`).
public struct RandomResizedCrop: Equatable, Sendable {
    /// torchvision's defaults.
    public static let defaultScale: ClosedRange<Double> = 0.08...1.0
    public static let defaultRatio: ClosedRange<Double> = (3.0 / 4.0)...(4.0 / 3.0)
    /// Attempts before the centred fallback (torchvision's).
    static let attempts = 10

    /// The window's share of the image area.
    public let scale: ClosedRange<Double>
    /// The window's aspect ratio, width / height.
    public let ratio: ClosedRange<Double>

    /// Throws `PreprocessingError.invalidParameter` unless `0 < scale <= 1` and `ratio > 0`
    /// (bounds finite).
    public init(scale: ClosedRange<Double> = Self.defaultScale, ratio: ClosedRange<Double> = Self.defaultRatio) throws {
        guard scale.lowerBound > 0, scale.upperBound <= 1 else {
            throw PreprocessingError.invalidParameter(name: "resizedCrop.scale", value: "\(scale)",
                                                      reason: "must lie in (0, 1]")
        }
        guard ratio.lowerBound > 0, ratio.upperBound.isFinite else {
            throw PreprocessingError.invalidParameter(name: "resizedCrop.ratio", value: "\(ratio)",
                                                      reason: "must be finite and > 0")
        }
        self.scale = scale; self.ratio = ratio
    }

    /// The window for an `height x width` image, from `uniform()` (each call a number in
    /// [0, 1)); see the type's documentation.
    public func window(height: Int, width: Int, uniform: () -> Double) -> CropWindow {
        let area = Double(height * width)
        let logRatio = (log(ratio.lowerBound), log(ratio.upperBound))
        for _ in 0..<Self.attempts {
            let target = area * (scale.lowerBound + (scale.upperBound - scale.lowerBound) * uniform())
            let aspect = exp(logRatio.0 + (logRatio.1 - logRatio.0) * uniform())
            let w = Int((target * aspect).squareRoot().rounded(.toNearestOrEven))
            let h = Int((target / aspect).squareRoot().rounded(.toNearestOrEven))
            if w > 0 && w <= width && h > 0 && h <= height {
                let top = Int(uniform() * Double(height - h + 1))
                let left = Int(uniform() * Double(width - w + 1))
                return CropWindow(top: top, left: left, height: h, width: w)
            }
        }
        let imageRatio = Double(width) / Double(height)
        var w = width, h = height
        if imageRatio < ratio.lowerBound {
            h = Int((Double(w) / ratio.lowerBound).rounded(.toNearestOrEven))
        } else if imageRatio > ratio.upperBound {
            w = Int((Double(h) * ratio.upperBound).rounded(.toNearestOrEven))
        }
        return CropWindow(top: (height - h) / 2, left: (width - w) / 2, height: h, width: w)
    }

    /// The window for an `height x width` image, drawn from `stream`.
    public func draw(height: Int, width: Int, stream: inout RandomStream) -> CropWindow {
        window(height: height, width: width) { stream.nextUniform() }
    }
}
