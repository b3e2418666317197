import DatasetKit

/// Online hard-triplet mining for deep ranking, beyond the paper (whose triplets come from
/// its relevance-weighted sampler alone): every step embeds a batch of `groups` concept
/// groups of `perGroup` images (`ConceptGroups`) and trains on the triplets that
/// `OnlineHardMining` selects from the batch's current embeddings, with the batch's
/// concept groups as labels (positives share a group, negatives do not).
///
/// With `mix` f > 0 the step also draws the method's `batch_size` triplets from its
/// sampler (the paper's), and the loss is `f * L_sampled + (1 - f) * L_mined`, each the
/// mean triplet hinge loss of its triplets (0 for a step that mines none).
public struct HardMining: Equatable, Sendable {
    // MARK: Defaults (the spec format's too: `SpecDefaults` refers to these)

    /// 8 groups of 4: 32 images a step.
    public static let defaultGroups = 8
    public static let defaultPerGroup = 4
    /// Mined triplets only.
    public static let defaultMix: Float = 0

    public enum Kind: String, CaseIterable, Sendable {
        /// FaceNet's semi-hard triplets: every positive pair with its closest negative
        /// farther than the positive, within the margin.
        case semiHard = "semi-hard"
        /// Hermans et al.'s batch-hard triplets: per anchor, its farthest positive and closest negative.
        case batchHard = "batch-hard"
    }

    public var kind: Kind
    /// P: concept groups per batch (>= 2).
    public var groups: Int
    /// K: images per group (>= 2).
    public var perGroup: Int
    /// f in [0, 1): the sampler's share of the loss.
    public var mix: Float
    /// Concepts finer than the category (`ConceptGroups`); nil: the category.
    public var conceptRelevance: Float?

    public init(kind: Kind, groups: Int = Self.defaultGroups, perGroup: Int = Self.defaultPerGroup,
                mix: Float = Self.defaultMix, conceptRelevance: Float? = nil) {
        self.kind = kind; self.groups = groups; self.perGroup = perGroup; self.mix = mix
        self.conceptRelevance = conceptRelevance
    }

    /// Images per step from the groups.
    public var groupImages: Int { groups * perGroup }

    /// The mined triplets of a batch, as batch positions (`OnlineHardMining`), with the gap
    /// `margin` of the method's hinge loss.
    func triplets(embeddings: [Float], dimension: Int, labels: [Int], margin: Float) throws -> [Triplet] {
        switch kind {
        case .semiHard:
            return try OnlineHardMining.semiHardTriplets(embeddings: embeddings, dimension: dimension, labels: labels,
                                                         margin: margin)
        case .batchHard:
            return try OnlineHardMining.batchHardTriplets(embeddings: embeddings, dimension: dimension, labels: labels)
        }
    }
}
