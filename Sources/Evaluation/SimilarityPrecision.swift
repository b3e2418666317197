import DatasetKit

/// Similarity precision (the paper's evaluation metrics; README, "The paper in brief"): the
/// fraction of evaluation triplets (Q, A, B), A the more relevant, that a model ranks in
/// the raters' order, i.e. with similarity(Q, A) > similarity(Q, B). A tie earns half a
/// triplet (neither order is preferred), so a model that maps everything to one point
/// scores 50%, not 0%.
public enum SimilarityPrecision {
    /// Per-triplet outcome: 1 correct, 0.5 tie, 0 wrong; kept for paired tests between
    /// methods on the same triplets.
    public static func outcomes(_ ranker: Ranker, triplets: [Triplet]) -> [Float] {
        triplets.map { t in
            let a = ranker.similarity(t.query, t.positive), b = ranker.similarity(t.query, t.negative)
            return a > b ? 1 : (a == b ? 0.5 : 0)
        }
    }

    /// The precision over `triplets`.
    public static func precision(_ ranker: Ranker, triplets: [Triplet]) -> Double {
        precision(outcomes: outcomes(ranker, triplets: triplets))
    }

    /// Mean of per-triplet outcomes.
    public static func precision(outcomes: [Float]) -> Double {
        outcomes.isEmpty ? .nan : outcomes.reduce(0.0) { $0 + Double($1) } / Double(outcomes.count)
    }
}
