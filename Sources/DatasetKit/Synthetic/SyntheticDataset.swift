import TensorKit

/// The `synthetic` dataset, the project's embedded default (the top README's "Data"): shape
/// families as categories, continuous latent factors as fine-grained within-category
/// variation, nuisances that do not count, and a known graded relevance (README.md in this
/// directory gives the generator, its parameters and why it is a fair test).
///
/// Image `i` is member `k = i % imagesPerCategory` of category `c = i / imagesPerCategory`
/// (family `SyntheticFamily.allCases[c]`). Its latent z comes from the stream
/// `synthetic/latent/<family>/<k>` and its nuisances and pixel noise from
/// `synthetic/nuisance/<family>/<k>` of the run seed, so an image depends only on
/// (seed, config, i), never on how many images there are or in what order they are made.
/// `image(at:)` renders on demand (a cache is the caller's business);
/// relevance (the paper's r(i, j); the top README's "The paper in brief") is
///
///     r(i, j) = exp(-||W (z_i - z_j)||^2 / (2 sigma^2))  in the same category, 0 across,
///
/// with W = diag(`relevanceWeights`) and sigma = `relevanceBandwidth`.
public struct SyntheticDataset: ImageDataset {
    public let config: SyntheticConfig
    public let seed: UInt64
    /// z of every image, by index.
    public let latents: [SyntheticLatent]

    /// Throws `DatasetError.invalidParameter` when `config` is out of range.
    public init(config: SyntheticConfig = SyntheticConfig(), streams: RandomStreams) throws {
        try config.validate()
        self.config = config
        self.seed = streams.seed
        let families = SyntheticFamily.allCases.prefix(config.categories)
        latents = families.flatMap { family in
            (0..<config.imagesPerCategory).map {
                SyntheticLatent(seed: streams.seed, family: family, member: $0, varying: config.varyingFactors)
            }
        }
    }

    public var kind: String { "synthetic" }
    public var count: Int { latents.count }
    public var categoryNames: [String] { SyntheticFamily.allCases.prefix(config.categories).map(\.rawValue) }

    public func category(of index: Int) -> Int {
        precondition((0..<count).contains(index), "image \(index) is outside 0..<\(count)")
        return index / config.imagesPerCategory
    }

    /// The shape family of image `index`.
    public func family(of index: Int) -> SyntheticFamily { SyntheticFamily.allCases[category(of: index)] }

    public func relevance(_ a: Int, _ b: Int) -> Float {
        guard category(of: a) == category(of: b) else { return 0 }
        return latents[a].relevance(to: latents[b], weights: config.relevanceWeights, bandwidth: config.relevanceBandwidth)
    }

    /// Never throws: rendering needs no files.
    public func image(at index: Int) throws -> PlanarImage { image(at: index, withLatent: latents[index]) }

    /// Image `index` drawn with latent `z` instead of its own (same family, same nuisances
    /// and noise): for latent traversal figures and for checking that every factor is
    /// visible.
    public func image(at index: Int, withLatent z: SyntheticLatent) -> PlanarImage {
        var stream = RandomStream(seed: seed, name: "synthetic/nuisance/\(identifier(of: index))")
        return SyntheticRenderer.render(family: family(of: index), latent: z, config: config, nuisanceStream: &stream)
    }

    /// `<family>/<member>`, e.g. `star/17`: the generator key, also the suffix of the
    /// image's stream names.
    public func identifier(of index: Int) -> String {
        "\(family(of: index).rawValue)/\(index % config.imagesPerCategory)"
    }
}
