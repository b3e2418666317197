import Imaging

/// An image as Float32 planes, `[C, H, W]` row-major, values in [0, 1]: the form every
/// dataset hands out and preprocessing works on, one step from a network input tensor.
public struct PlanarImage: Equatable, Sendable {
    public var channels: Int
    public var height: Int
    public var width: Int
    /// `channels * height * width` values, plane after plane.
    public var pixels: [Float]

    public init(channels: Int, height: Int, width: Int, pixels: [Float]) {
        precondition(channels > 0 && height > 0 && width > 0, "empty image \(channels)x\(height)x\(width)")
        precondition(pixels.count == channels * height * width,
                     "\(pixels.count) values for a \(channels)x\(height)x\(width) image")
        self.channels = channels; self.height = height; self.width = width; self.pixels = pixels
    }

    /// A constant image.
    public init(channels: Int, height: Int, width: Int, value: Float = 0) {
        self.init(channels: channels, height: height, width: width,
                  pixels: [Float](repeating: value, count: channels * height * width))
    }

    /// A decoded 8-bit image as three planes (gray replicated, alpha composited on white).
    public init(rgbFrom image: Image) {
        self.init(channels: 3, height: image.height, width: image.width, pixels: image.planarRGBFloats())
    }

    /// Element `(c, y, x)`.
    @inlinable public subscript(c: Int, y: Int, x: Int) -> Float {
        get { pixels[(c * height + y) * width + x] }
        set { pixels[(c * height + y) * width + x] = newValue }
    }
}
