/// The parameters of the `synthetic` dataset (the top README's "Data"; README.md in this
/// directory explains the generator). Every field has a default, so `SyntheticConfig()` is
/// the project's embedded default data set: 8 shape families x 60 images, 64 x 64 RGB.
///
/// Decoding a spec may leave out any field; `validate()` (called by `SyntheticDataset`)
/// rejects out-of-range values with `DatasetError.invalidParameter` naming the field.
public struct SyntheticConfig: Codable, Equatable, Sendable {
    /// Number of categories: the first `categories` of `SyntheticFamily.allCases`, 1...10.
    public var categories: Int = 8
    /// Images per category (>= 1); image `i` is member `i % imagesPerCategory` of category
    /// `i / imagesPerCategory`.
    public var imagesPerCategory: Int = 60
    /// Width and height in pixels, 32...256.
    public var imageSize: Int = 64
    /// The latent factors that vary; the others are held at 0.5 (and then do not change
    /// relevance, since they are equal for every image).
    public var varyingFactors: [LatentFactor] = LatentFactor.allCases
    /// W in r(i, j) = exp(-||W (z_i - z_j)||^2 / (2 sigma^2)): one non-negative weight per
    /// factor, in `LatentFactor.allCases` order (shape, pose, scale, stroke, texture, hue).
    public var relevanceWeights: [Float] = [1.0, 1.0, 0.7, 0.7, 0.7, 0.4]
    /// sigma in the relevance formula (> 0).
    public var relevanceBandwidth: Float = 0.4
    /// Standard deviation of the per-pixel, per-channel noise, 0...0.5.
    public var noiseSigma: Float = 0.03
    /// Largest relative brightness change across the background gradient, 0...1.
    public var backgroundVariation: Float = 0.25
    /// Largest shift of the shape centre from the image centre, as a fraction of the image
    /// size, 0...0.1 (larger shifts would push the largest shapes out of the frame).
    public var maxShift: Float = 0.08
    /// How colour is drawn (see `ColourMode`).
    public var colourMode: ColourMode = .sharedHue

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SyntheticConfig()
        categories = try c.decodeIfPresent(Int.self, forKey: .categories) ?? d.categories
        imagesPerCategory = try c.decodeIfPresent(Int.self, forKey: .imagesPerCategory) ?? d.imagesPerCategory
        imageSize = try c.decodeIfPresent(Int.self, forKey: .imageSize) ?? d.imageSize
        varyingFactors = try c.decodeIfPresent([LatentFactor].self, forKey: .varyingFactors) ?? d.varyingFactors
        relevanceWeights = try c.decodeIfPresent([Float].self, forKey: .relevanceWeights) ?? d.relevanceWeights
        relevanceBandwidth = try c.decodeIfPresent(Float.self, forKey: .relevanceBandwidth) ?? d.relevanceBandwidth
        noiseSigma = try c.decodeIfPresent(Float.self, forKey: .noiseSigma) ?? d.noiseSigma
        backgroundVariation = try c.decodeIfPresent(Float.self, forKey: .backgroundVariation) ?? d.backgroundVariation
        maxShift = try c.decodeIfPresent(Float.self, forKey: .maxShift) ?? d.maxShift
        colourMode = try c.decodeIfPresent(ColourMode.self, forKey: .colourMode) ?? d.colourMode
    }

    /// Throws `DatasetError.invalidParameter` for the first field out of range.
    public func validate() throws {
        func check(_ ok: Bool, _ name: String, _ value: Any, _ allowed: String) throws {
            if !ok { throw DatasetError.invalidParameter(name: "synthetic.\(name)", value: "\(value)", allowed: allowed) }
        }
        try check((1...SyntheticFamily.allCases.count).contains(categories), "categories", categories,
                  "1...\(SyntheticFamily.allCases.count) (one shape family each)")
        try check(imagesPerCategory >= 1, "imagesPerCategory", imagesPerCategory, "at least 1")
        try check((32...256).contains(imageSize), "imageSize", imageSize, "32...256 pixels")
        try check(Set(varyingFactors).count == varyingFactors.count, "varyingFactors", varyingFactors.map(\.rawValue),
                  "each factor at most once")
        try check(relevanceWeights.count == LatentFactor.allCases.count && relevanceWeights.allSatisfy { $0 >= 0 && $0.isFinite },
                  "relevanceWeights", relevanceWeights,
                  "\(LatentFactor.allCases.count) finite weights >= 0, in the order \(LatentFactor.allCases.map(\.rawValue))")
        try check(relevanceBandwidth > 0 && relevanceBandwidth.isFinite, "relevanceBandwidth", relevanceBandwidth, "> 0")
        try check((0...0.5).contains(noiseSigma), "noiseSigma", noiseSigma, "0...0.5")
        try check((0...1).contains(backgroundVariation), "backgroundVariation", backgroundVariation, "0...1")
        try check((0...0.1).contains(maxShift), "maxShift", maxShift, "0...0.1 of the image size")
    }
}

/// How colours are chosen. In both modes the distribution is the same for every category,
/// so colour carries no category information.
public enum ColourMode: String, Codable, Equatable, Sendable, CaseIterable {
    /// Foreground hue = latent factor `hue` (a small weight in relevance); background hue
    /// = foreground hue + 0.5 +- 0.2 (a nuisance). The default.
    case sharedHue = "shared-hue"
    /// Rendered as above, then converted to luminance (three equal planes): colour carries
    /// nothing at all, and the `hue` factor only changes grey levels slightly.
    case grayscale
}
