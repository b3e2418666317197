/// An 8-bit image with interleaved channels, stored row-major as HWC:
/// the sample of channel `c` at column `x`, row `y` is `pixels[(y * width + x) * channels + c]`.
///
/// Channels: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA (alpha is straight, not premultiplied).
public struct Image: Equatable, Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Samples per pixel: 1, 2, 3 or 4.
    public let channels: Int
    /// `height * width * channels` samples, HWC.
    public let pixels: [UInt8]

    /// Wraps interleaved HWC samples. Sizes that do not match are a programmer error.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "an image needs at least one pixel, got \(width) x \(height)")
        precondition((1...4).contains(channels), "an image has 1 to 4 channels, got \(channels)")
        precondition(pixels.count == width * height * channels,
                     "\(width) x \(height) x \(channels) needs \(width * height * channels) samples, got \(pixels.count)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// Whether the last channel is alpha (2 or 4 channels).
    public var hasAlpha: Bool { channels == 2 || channels == 4 }

    /// The sample of `channel` at column `x`, row `y`.
    public subscript(x x: Int, y y: Int, channel channel: Int) -> UInt8 {
        precondition((0..<width).contains(x) && (0..<height).contains(y) && (0..<channels).contains(channel),
                     "(\(x), \(y), \(channel)) is outside a \(width) x \(height) x \(channels) image")
        return pixels[(y * width + x) * channels + channel]
    }
}
