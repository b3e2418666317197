/// Why a preprocessing step or a batch could not be built. Every case names the parameter,
/// the image (by dataset identifier) or the tensor shape that is wrong.
public enum PreprocessingError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A preprocessing parameter (from a spec) is out of range; `reason` says what is allowed.
    case invalidParameter(name: String, value: String, reason: String)
    /// A crop window does not fit inside the image it is applied to.
    case cropOutsideImage(window: CropWindow, imageHeight: Int, imageWidth: Int)
    /// An image has a different channel count than the normalisation or the batch tensor.
    case channelMismatch(identifier: String, expected: Int, actual: Int)
    /// The batch tensor's shape is not `[indices.count, channels, outputHeight, outputWidth]`.
    case batchShapeMismatch(expected: [Int], actual: [Int])

    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let reason):
            return "preprocessing parameter \(name) = \(value) is invalid: \(reason)"
        case .cropOutsideImage(let w, let h, let width):
            return "crop window \(w.height)x\(w.width) at (top \(w.top), left \(w.left)) does not fit a \(h)x\(width) image"
        case .channelMismatch(let identifier, let expected, let actual):
            return "\(identifier): \(actual) channels, expected \(expected)"
        case .batchShapeMismatch(let expected, let actual):
            return "batch tensor has shape \(actual), expected \(expected)"
        }
    }
}

/// An image of a dataset could not be loaded while assembling a batch: the dataset's own
/// error (an `ImageError` or `DatasetError` naming the file) with the image's index and
/// identifier added. `underlying` keeps the original typed error.
public struct DatasetImageError: Error, CustomStringConvertible {
    public let index: Int
    public let identifier: String
    public let underlying: any Error

    public init(index: Int, identifier: String, underlying: any Error) {
        self.index = index; self.identifier = identifier; self.underlying = underlying
    }

    public var description: String { "image \(index) (\(identifier)): \(underlying)" }
}
