import TensorKit

/// Uniform triplet sampling, the paper's comparison point (its section "Triplet Sampling",
/// and Figure 6's "uniform sampling"): no relevance weighting in the draws, the same
/// rules for keeping a triplet.
///
/// One query:
/// 1. query i uniform over the subset's images whose category has at least two images
///    in the subset (the others can have no positive);
/// 2. up to `maxTries` tries, each drawing, in this order from the one stream:
///    a. the positive i+ uniform over the other images of i's category;
///    b. a Bernoulli(`outOfClassFraction`) deciding the kind of negative;
///    c. out-of-class: i- uniform over the other categories' images (r = 0);
///       in-class: i- uniform over the other images of i's category;
///    and keeping (i, i+, i-) when i- != i+ and r(i, i+) - r(i, i-) >= T_r with
///    r(i, i+) > r(i, i-) (so a positive with r = 0 always fails);
/// 3. after `maxTries` failed tries the query is dropped.
///
/// `relevanceCap` (T_p) is not used. Randomness: the stream handed in, by convention
/// `sampler/uniform` (`streamName`).
public struct UniformTripletSampler: TripletSampler {
    /// The conventional name of this sampler's stream.
    public static let streamName = "sampler/uniform"

    public let table: RelevanceTable
    public let parameters: TripletSamplingParameters
    /// Positions in `table.flatMembers` that can be queries.
    private let eligible: [Int]
    private var stream: RandomStream
    private var counters = TripletSamplerState(stream: [])

    /// Throws when a parameter is out of range, when `outOfClassFraction > 0` but the
    /// subset has a single category, or when no query can ever be completed.
    public init(table: RelevanceTable, parameters: TripletSamplingParameters = .init(),
                stream: RandomStream) throws(SamplingError) {
        try parameters.validate()
        let categoriesWithImages = table.members.filter { !$0.isEmpty }.count
        if parameters.outOfClassFraction > 0 && categoriesWithImages < 2 {
            throw .invalidParameter(name: "outOfClassFraction", value: "\(parameters.outOfClassFraction)",
                                    allowed: "0 when the images come from a single category")
        }
        self.table = table
        self.parameters = parameters
        self.stream = stream
        self.eligible = table.members.indices.flatMap { c in
            table.members[c].count >= 2 ? Array(table.blockStart[c]..<table.blockStart[c + 1]) : []
        }
        guard hasCompletableQuery() else {
            throw .noValidTriplet(reason: "no image of the \(table.memberCount) in the subset has a positive "
                + "and a negative meeting T_r = \(parameters.relevanceMargin) with out-of-class fraction "
                + "\(parameters.outOfClassFraction)")
        }
    }

    /// Whether some eligible query has a kept triplet with positive probability.
    private func hasCompletableQuery() -> Bool {
        let f = parameters.outOfClassFraction
        for k in eligible {
            let (c, slot) = table.locate(flat: k)
            var row = table.relevanceRow(category: c, slot)
            row.remove(at: slot)
            let highest = row.max()!, lowest = row.min()!
            if f > 0 && parameters.keeps(positiveRelevance: highest, negativeRelevance: 0) { return true }
            if f < 1 && parameters.keeps(positiveRelevance: highest, negativeRelevance: lowest) { return true }
        }
        return false
    }

    public var state: TripletSamplerState {
        var state = counters
        state.stream = stream.stateWords
        return state
    }

    public mutating func restore(_ state: TripletSamplerState) throws(SamplingError) {
        stream = try state.restoredStream()
        counters = state
    }

    public mutating func next() -> Triplet? {
        let (c, slot) = table.locate(flat: eligible[stream.nextInt(below: eligible.count)])
        return complete(category: c, slot: slot)
    }

    /// One query fixed to dataset index `query` (a member of a category with at least two
    /// images in the table): steps 2 and 3 above. Counts like `next()`.
    public mutating func triplet(forQuery query: Int) -> Triplet? {
        guard let (c, slot) = table.member(of: query), table.members[c].count >= 2 else {
            preconditionFailure("query \(query) is not an image of the table with another image in its category")
        }
        return complete(category: c, slot: slot)
    }

    public mutating func batch(_ n: Int) -> [Triplet] { batchOfKept(n) }

    /// A slot of category `c` other than `slot`, uniform.
    private mutating func drawOther(category c: Int, than slot: Int) -> Int {
        let k = stream.nextInt(below: table.members[c].count - 1)
        return k >= slot ? k + 1 : k
    }

    private mutating func complete(category c: Int, slot: Int) -> Triplet? {
        counters.queries += 1
        let group = table.members[c]
        for _ in 0..<parameters.maxTries {
            let positive = drawOther(category: c, than: slot)
            let rPositive = table.relevance(category: c, slot, positive)
            if stream.nextBernoulli(parameters.outOfClassFraction) {
                let negative = table.drawOutOfClass(category: c, &stream)
                if parameters.keeps(positiveRelevance: rPositive, negativeRelevance: 0) {
                    return Triplet(query: group[slot], positive: group[positive], negative: negative)
                }
            } else {
                let negative = drawOther(category: c, than: slot)
                if negative != positive && parameters.keeps(positiveRelevance: rPositive,
                                                            negativeRelevance: table.relevance(category: c, slot, negative)) {
                    return Triplet(query: group[slot], positive: group[positive], negative: group[negative])
                }
            }
            counters.failedTries += 1
        }
        counters.dropped += 1
        return nil
    }
}
