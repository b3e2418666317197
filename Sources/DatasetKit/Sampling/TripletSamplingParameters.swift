/// The knobs of triplet sampling (the paper's section "Triplet Sampling"). The paper gives
/// no values for T_p and T_r; the defaults below are ours, in relevance units. All three
/// built-in datasets give relevance in [0, 1] (image-folder: 1 inside a category unless a
/// CSV says otherwise), and the defaults are chosen for that scale.
public struct TripletSamplingParameters: Equatable, Codable, Sendable {
    /// T_p: positives (and in-class negatives) of query i are drawn with probability
    /// proportional to min(T_p, r(i, j)), so all images at least T_p relevant are equally
    /// likely and near-duplicates do not dominate. Default 0.9. Used by
    /// `PaperTripletSampler` only.
    public var relevanceCap: Float
    /// T_r: a triplet is kept only if r(i, i+) - r(i, i-) >= T_r. Whatever T_r, a kept
    /// triplet also has r(i, i+) > r(i, i-) (the definition of a triplet), so T_r = 0
    /// rejects ties. Out-of-class negatives have r = 0. Default 0.05.
    public var relevanceMargin: Float
    /// The probability that a try draws an out-of-class negative (uniform over the other
    /// categories' images) instead of an in-class one. Default 0.2, the paper's main setting.
    public var outOfClassFraction: Double
    /// Tries (positive and negative drawn afresh each time) before a query is dropped.
    /// Default 20.
    public var maxTries: Int

    public init(relevanceCap: Float = 0.9, relevanceMargin: Float = 0.05,
                outOfClassFraction: Double = 0.2, maxTries: Int = 20) {
        self.relevanceCap = relevanceCap
        self.relevanceMargin = relevanceMargin
        self.outOfClassFraction = outOfClassFraction
        self.maxTries = maxTries
    }

    /// Throws `invalidParameter` naming the first parameter out of range.
    public func validate() throws(SamplingError) {
        guard relevanceCap > 0 && !relevanceCap.isNaN else {
            throw .invalidParameter(name: "relevanceCap (T_p)", value: "\(relevanceCap)", allowed: "a number > 0")
        }
        guard relevanceMargin >= 0 && relevanceMargin.isFinite else {
            throw .invalidParameter(name: "relevanceMargin (T_r)", value: "\(relevanceMargin)",
                                    allowed: "a finite number >= 0")
        }
        guard outOfClassFraction >= 0 && outOfClassFraction <= 1 else {
            throw .invalidParameter(name: "outOfClassFraction", value: "\(outOfClassFraction)",
                                    allowed: "a probability in [0, 1]")
        }
        guard maxTries >= 1 else {
            throw .invalidParameter(name: "maxTries", value: "\(maxTries)", allowed: "an integer >= 1")
        }
    }

    /// The margin rule: keep (i, i+, i-) when r+ - r- >= T_r and r+ > r-.
    func keeps(positiveRelevance: Float, negativeRelevance: Float) -> Bool {
        positiveRelevance > negativeRelevance && positiveRelevance - negativeRelevance >= relevanceMargin
    }
}
