import DatasetKit
import TensorKit

/// The gray image the texture and gradient features work on: ITU-R BT.601 luma (`Luma`),
/// `Y = 0.299 R + 0.587 G + 0.114 B`, computed in Float32 in that order; a one-channel
/// image is used as it is. (scikit-image's `rgb2gray` uses BT.709 weights instead; the
/// parity fixtures feed one-channel images, so the choice does not affect them.)
enum GrayConversion {
    static let red = Luma.red, green = Luma.green, blue = Luma.blue

    /// Writes the `H x W` gray plane of `image` into `gray`; throws for channel counts
    /// other than 1 and 3.
    static func gray(of image: PlanarImage, into gray: UnsafeMutablePointer<Float>,
                     feature: String) throws(FeatureError) {
        let plane = image.height * image.width
        switch image.channels {
        case 1:
            image.pixels.withUnsafeBufferPointer { p in gray.update(from: p.baseAddress!, count: plane) }
        case 3:
            image.pixels.withUnsafeBufferPointer { p in
                let r = p.baseAddress!, g = r + plane, b = g + plane
                for i in 0..<plane { gray[i] = red * r[i] + green * g[i] + blue * b[i] }
            }
        default:
            throw .unsupportedChannels(feature: feature, channels: image.channels, allowed: "1 (gray) or 3 (RGB)")
        }
    }
}
