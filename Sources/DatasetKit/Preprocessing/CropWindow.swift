import TensorKit

/// A rectangle of an image, `rows top ..< top + height`, `columns left ..< left + width`.
///
/// Centre crops put the window at `top = (H - height) / 2`, `left = (W - width) / 2`
/// (integer division: for an odd difference the extra row and column stay at the bottom
/// and right; torchvision's `CenterCrop` rounds half to even instead, which differs by
/// one pixel for some sizes). Random crops draw `top` uniformly from `0 ... H - height`,
/// then `left` from `0 ... W - width`, from the stream they are given.
public struct CropWindow: Equatable, Sendable {
    public var top: Int
    public var left: Int
    public var height: Int
    public var width: Int

    public init(top: Int, left: Int, height: Int, width: Int) {
        self.top = top; self.left = left; self.height = height; self.width = width
    }

    /// The centred `height x width` window of an `imageHeight x imageWidth` image.
    /// Precondition: the window is not larger than the image.
    public static func centre(height: Int, width: Int, imageHeight: Int, imageWidth: Int) -> CropWindow {
        precondition(height <= imageHeight && width <= imageWidth,
                     "crop \(height)x\(width) larger than image \(imageHeight)x\(imageWidth)")
        return CropWindow(top: (imageHeight - height) / 2, left: (imageWidth - width) / 2, height: height, width: width)
    }

    /// A uniformly placed `height x width` window: two draws, `top` then `left`, each
    /// `nextInt(below: slack + 1)`. Precondition: the window is not larger than the image.
    public static func random(height: Int, width: Int, imageHeight: Int, imageWidth: Int,
                              stream: inout RandomStream) -> CropWindow {
        precondition(height <= imageHeight && width <= imageWidth,
                     "crop \(height)x\(width) larger than image \(imageHeight)x\(imageWidth)")
        let top = stream.nextInt(below: imageHeight - height + 1)
        let left = stream.nextInt(below: imageWidth - width + 1)
        return CropWindow(top: top, left: left, height: height, width: width)
    }
}

extension PlanarImage {
    /// The pixels inside `window`, `[C, window.height, window.width]`.
    /// Throws `PreprocessingError.cropOutsideImage` when the window leaves the image.
    public func cropped(to window: CropWindow) throws -> PlanarImage {
        guard window.top >= 0, window.left >= 0, window.height > 0, window.width > 0,
              window.top + window.height <= height, window.left + window.width <= width else {
            throw PreprocessingError.cropOutsideImage(window: window, imageHeight: height, imageWidth: width)
        }
        var out = [Float]()
        out.reserveCapacity(channels * window.height * window.width)
        for c in 0..<channels {
            for y in window.top..<(window.top + window.height) {
                let row = (c * height + y) * width
                out.append(contentsOf: pixels[(row + window.left)..<(row + window.left + window.width)])
            }
        }
        return PlanarImage(channels: channels, height: window.height, width: window.width, pixels: out)
    }
}
