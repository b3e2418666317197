/// Why a feature could not be extracted or a metric could not be learned. Every case names
/// the feature or parameter and what is wrong.
public enum FeatureError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A parameter (from a spec) is out of range; `allowed` says what is accepted.
    case invalidParameter(name: String, value: String, allowed: String)
    /// The image is too small for the feature's cells, blocks or levels.
    case imageTooSmall(feature: String, height: Int, width: Int, minimum: String)
    /// The image has a channel count the feature does not handle.
    case unsupportedChannels(feature: String, channels: Int, allowed: String)
    /// A feature vector or matrix does not have the dimension the model expects.
    case dimensionMismatch(what: String, expected: Int, actual: Int)
    /// A triplet refers to a row that the feature matrix does not have.
    case tripletOutOfRange(index: Int, rows: Int)
    /// Images of one feature matrix must share one size; image `index` does not.
    case imageSizeMismatch(index: Int, height: Int, width: Int, expectedHeight: Int, expectedWidth: Int)
    /// The image provider failed for image `index` (its own error, as text).
    case imageUnavailable(index: Int, reason: String)
    /// A learned quantity came out unusable (e.g. all golden weights zero).
    case degenerate(what: String, reason: String)
    /// A benchmark image file is not in the documented format.
    case badImageFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let allowed):
            return "feature parameter \(name) = \(value) is invalid: \(allowed)"
        case .imageTooSmall(let feature, let height, let width, let minimum):
            return "\(feature): a \(height)x\(width) image is too small (needs at least \(minimum))"
        case .unsupportedChannels(let feature, let channels, let allowed):
            return "\(feature): \(channels) channels not supported (\(allowed))"
        case .dimensionMismatch(let what, let expected, let actual):
            return "\(what): dimension \(actual), expected \(expected)"
        case .tripletOutOfRange(let index, let rows):
            return "triplet index \(index) outside the feature matrix's \(rows) rows"
        case .imageSizeMismatch(let index, let height, let width, let expectedHeight, let expectedWidth):
            return "image \(index) is \(height)x\(width); the images of a feature matrix must all be "
                + "\(expectedHeight)x\(expectedWidth)"
        case .imageUnavailable(let index, let reason):
            return "image \(index): \(reason)"
        case .degenerate(let what, let reason):
            return "\(what): \(reason)"
        case .badImageFile(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}
