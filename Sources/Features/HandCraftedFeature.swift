/// One hand-crafted feature with the distance it is compared with: one row of the paper's
/// Table 1 (e.g. HOG with L2, the colour histogram with chi-square).
public struct HandCraftedFeature: Sendable {
    public let extractor: any FeatureExtractor
    public let distance: FeatureDistance

    public init(_ extractor: any FeatureExtractor, distance: FeatureDistance) {
        self.extractor = extractor
        self.distance = distance
    }

    /// The default distance of each feature: chi-square for the histograms (colour, LBP),
    /// L2 for HOG (already block-normalised) and the wavelet statistics.
    public static func defaultDistance(for extractor: any FeatureExtractor) -> FeatureDistance {
        switch extractor {
        case is ColorHistogram, is LocalBinaryPattern: return .chiSquare
        default: return .l2
        }
    }
}
