/// A map applied to each component of a representation before a bilinear model (OASIS)
/// compares it. OASIS starts from the dot product `p . q`, which suits some features and not
/// others: for an L1-normalised histogram the dot product is dominated by the largest bins,
/// while the histogram on its own is compared with the chi-square distance. The square root
/// fixes that start (the "Hellinger" or "RootSIFT" map; Arandjelović and Zisserman, CVPR
/// 2012): for histograms `p` and `q` that sum to 1, `sqrt(p) . sqrt(q)` is the Bhattacharyya
/// coefficient, `1 - H^2(p, q) / 2` with `H` the Hellinger distance, a close relative of chi-square.
public enum FeatureMap: String, CaseIterable, Codable, Sendable {
    /// The vectors as they are (OASIS's own start, the dot product).
    case identity = "none"
    /// `sqrt(x_i)` of every component; the components must be non-negative (histograms, HOG).
    case squareRoot = "square-root"

    /// `values` mapped component by component. `what` names the representation in the error
    /// a negative component gives under `squareRoot`.
    public func apply(_ values: [Float], what: String) throws(FeatureError) -> [Float] {
        switch self {
        case .identity:
            return values
        case .squareRoot:
            if let index = values.firstIndex(where: { !($0 >= 0) }) {
                throw .invalidParameter(name: "feature_map of \(what)", value: rawValue,
                                        allowed: "needs components >= 0, and component \(index) is \(values[index]); "
                                            + "use it on histograms or HOG, not on embeddings")
            }
            return values.map { $0.squareRoot() }
        }
    }
}
