import DatasetKit

/// The run's validation side as a method sees it during training: the triplets drawn from
/// the validation images and the images a network must embed to score them. Only
/// `ValidationSelection` uses it; the runner scores every finished row on validation itself.
public struct ValidationTriplets: Sendable {
    public var triplets: [Triplet]
    /// Every image of the triplets, sorted.
    public var images: [Int]

    public init(triplets: [Triplet]) {
        self.triplets = triplets
        images = Array(Set(triplets.flatMap { [$0.query, $0.positive, $0.negative] })).sorted()
    }
}
