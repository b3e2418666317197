/// Per-channel normalisation, `y[c, :, :] = (x[c, :, :] - mean[c]) / std[c]`, as
/// torchvision's `Normalize` (subtract, then divide; not multiply by `1 / std`).
///
/// The paper does not give input statistics; the spec chooses them (for example the
/// ImageNet values `mean [0.485, 0.456, 0.406]`, `std [0.229, 0.224, 0.225]`, or values
/// measured on the training split).
public struct ChannelNormalization: Equatable, Sendable {
    public let mean: [Float]
    public let std: [Float]

    /// Throws `PreprocessingError.invalidParameter` unless `mean` and `std` are non-empty,
    /// have the same count, are finite, and every `std` is positive.
    public init(mean: [Float], std: [Float]) throws {
        guard !mean.isEmpty, mean.count == std.count else {
            throw PreprocessingError.invalidParameter(
                name: "normalization", value: "mean \(mean), std \(std)",
                reason: "mean and std need one value per channel (\(mean.count) and \(std.count) given)")
        }
        guard mean.allSatisfy(\.isFinite) else {
            throw PreprocessingError.invalidParameter(name: "normalization.mean", value: "\(mean)",
                                                      reason: "every mean must be finite")
        }
        guard std.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw PreprocessingError.invalidParameter(name: "normalization.std", value: "\(std)",
                                                      reason: "every std must be finite and > 0")
        }
        self.mean = mean; self.std = std
    }

    /// Number of channels this normalisation applies to.
    public var channels: Int { mean.count }

    /// The normalised image. Throws `PreprocessingError.channelMismatch` (naming
    /// `identifier`) when the image's channel count differs from `channels`.
    public func apply(to image: PlanarImage, identifier: String = "image") throws -> PlanarImage {
        guard image.channels == channels else {
            throw PreprocessingError.channelMismatch(identifier: identifier, expected: channels, actual: image.channels)
        }
        var out = image
        let plane = image.height * image.width
        for c in 0..<channels {
            for i in (c * plane)..<((c + 1) * plane) { out.pixels[i] = (image.pixels[i] - mean[c]) / std[c] }
        }
        return out
    }
}
