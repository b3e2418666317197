/// The hand-crafted features by the names specs use, with their default parameters
/// (the paper's Table 1): `color-histogram`, `wavelet`, `hog`, `lbp`.
public enum FeatureCatalog {
    public static let names = ["color-histogram", "wavelet", "hog", "lbp"]

    /// The extractor named `name` with its default parameters.
    public static func extractor(named name: String) throws(FeatureError) -> any FeatureExtractor {
        switch name {
        case "color-histogram": return try ColorHistogram()
        case "wavelet": return try HaarWavelet()
        case "hog": return try HOG()
        case "lbp": return try LocalBinaryPattern()
        default:
            throw .invalidParameter(name: "feature", value: name, allowed: names.joined(separator: ", "))
        }
    }
}
