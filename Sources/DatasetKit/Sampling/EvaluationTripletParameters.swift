/// How evaluation triplets are built (README, "The paper in brief"). The paper keeps
/// triplets on which three raters agree unanimously; with known relevance the analogue is a
/// relevance gap above a threshold. Values are ours; the paper's are not applicable.
public struct EvaluationTripletParameters: Equatable, Codable, Sendable {
    /// Number of triplets to generate. Default 5,000 (the public copy of the paper's set
    /// has 5,033).
    public var count: Int
    /// A within-category triplet (Q, A, B) is kept when |r(Q, A) - r(Q, B)| exceeds this
    /// (strictly), then ordered so that r(Q, A) > r(Q, B). Default 0.25 (relevance units;
    /// the built-in datasets give relevance in [0, 1]).
    public var relevanceGap: Float
    /// Share of out-of-class triplets: round(share * count) triplets whose B comes from
    /// another category (r(Q, B) = 0) and whose A satisfies r(Q, A) > `relevanceGap`.
    /// Default 0: the paper's triplets all come from one text query.
    public var outOfClassShare: Double
    /// What to do when the dataset ships its own triplets. Default `.useAsGiven`.
    public var providedTriplets: ProvidedTripletPolicy
    /// Generation gives up (with an error) after `count * maxDrawsPerTriplet` draws of
    /// candidate triplets. Default 100.
    public var maxDrawsPerTriplet: Int

    public init(count: Int = 5_000, relevanceGap: Float = 0.25, outOfClassShare: Double = 0,
                providedTriplets: ProvidedTripletPolicy = .useAsGiven, maxDrawsPerTriplet: Int = 100) {
        self.count = count
        self.relevanceGap = relevanceGap
        self.outOfClassShare = outOfClassShare
        self.providedTriplets = providedTriplets
        self.maxDrawsPerTriplet = maxDrawsPerTriplet
    }

    /// Throws `invalidParameter` naming the first parameter out of range.
    public func validate() throws(SamplingError) {
        guard count >= 1 else {
            throw .invalidParameter(name: "evaluation count", value: "\(count)", allowed: "an integer >= 1")
        }
        guard relevanceGap >= 0 && relevanceGap.isFinite else {
            throw .invalidParameter(name: "evaluation relevanceGap", value: "\(relevanceGap)",
                                    allowed: "a finite number >= 0")
        }
        guard outOfClassShare >= 0 && outOfClassShare <= 1 else {
            throw .invalidParameter(name: "evaluation outOfClassShare", value: "\(outOfClassShare)",
                                    allowed: "a fraction in [0, 1]")
        }
        guard maxDrawsPerTriplet >= 1 else {
            throw .invalidParameter(name: "evaluation maxDrawsPerTriplet", value: "\(maxDrawsPerTriplet)",
                                    allowed: "an integer >= 1")
        }
    }
}

/// What the builder does with `ImageDataset.providedEvaluationTriplets`.
public enum ProvidedTripletPolicy: String, Codable, Sendable {
    /// Use every provided triplet, in the given order, whatever the split: the split
    /// should then keep their images out of training (the lead's split decides that).
    case useAsGiven = "use-as-given"
    /// Keep the provided triplets whose three images are all in the test split.
    case restrictToTestSplit = "restrict-to-test-split"
    /// Ignore them and generate triplets from the test split.
    case ignore
}
