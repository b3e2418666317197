import TensorKit

/// The paper's relevance-weighted triplet sampling (its section "Triplet Sampling"; README,
/// "The paper in brief"), over the images of a `RelevanceTable` (the training split).
///
/// One query:
/// 1. query i drawn with probability r_i / sum_k r_k (images with r_i = 0 never);
/// 2. up to `maxTries` tries, each drawing, in this order from the one stream:
///    a. the positive i+ from i's category with probability proportional to
///       min(T_p, r(i, i+)) (i itself and images with r = 0 never);
///    b. a Bernoulli(`outOfClassFraction`) deciding the kind of negative;
///    c. out-of-class: i- uniform over the other categories' images (r(i, i-) = 0);
///       in-class: i- drawn like a positive (so never an in-class image with r = 0);
///    and keeping (i, i+, i-) when i- != i+ and r(i, i+) - r(i, i-) >= T_r with
///    r(i, i+) > r(i, i-);
/// 3. after `maxTries` failed tries the query is dropped (`state.dropped`).
///
/// Draws are O(log n): cumulative sums and binary search (`WeightedChoice`), one table
/// over the queries and one per query row. Memory: 8 bytes per within-category pair for
/// the row tables on top of the `RelevanceTable` (10 categories of 1,000 images: 80 MB).
///
/// Randomness: the stream handed in, by convention `sampler/paper` (`streamName`).
public struct PaperTripletSampler: TripletSampler {
    /// The conventional name of this sampler's stream.
    public static let streamName = "sampler/paper"

    public let table: RelevanceTable
    public let parameters: TripletSamplingParameters
    /// Queries over all members (flat order of `table.flatMembers`), weights r_i.
    private let queries: WeightedChoice
    /// Per category, per slot: positives (and in-class negatives) with weights min(T_p, r).
    private let rows: [[WeightedChoice]]
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
        self.queries = WeightedChoice(weights: table.totalRelevance.flatMap { $0 })
        let cap = parameters.relevanceCap
        self.rows = table.members.indices.map { c in
            table.members[c].indices.map { slot in
                WeightedChoice(weights: table.relevanceRow(category: c, slot).map { Double(min(cap, $0)) })
            }
        }
        guard hasCompletableQuery() else {
            throw .noValidTriplet(reason: "no image of the \(table.memberCount) in the subset has a positive "
                + "and a negative meeting T_r = \(parameters.relevanceMargin) with out-of-class fraction "
                + "\(parameters.outOfClassFraction)")
        }
    }

    /// Whether some query with r_i > 0 has a kept triplet with positive probability: a
    /// positive j with r(i, j) > 0 and either (out-of-class allowed) r(i, j) >= T_r, or
    /// (in-class allowed) an in-class k with r(i, k) > 0 and the margin rule for (j, k).
    private func hasCompletableQuery() -> Bool {
        let f = parameters.outOfClassFraction
        for c in table.members.indices {
            for slot in table.members[c].indices where table.totalRelevance[c][slot] > 0 {
                let row = table.relevanceRow(category: c, slot).filter { $0 > 0 }
                let highest = row.max()!, lowest = row.min()!
                if f > 0 && highest >= parameters.relevanceMargin { return true }
                if f < 1 && parameters.keeps(positiveRelevance: highest, negativeRelevance: lowest) { return true }
            }
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
        let (c, slot) = table.locate(flat: queries.draw(&stream))
        return complete(category: c, slot: slot)
    }

    /// One query fixed to dataset index `query` (a member of the table with r_i > 0):
    /// steps 2 and 3 above. For tests and diagnostics; counts like `next()`.
    public mutating func triplet(forQuery query: Int) -> Triplet? {
        guard let (c, slot) = table.member(of: query), table.totalRelevance[c][slot] > 0 else {
            preconditionFailure("query \(query) is not an image of the table with positive total relevance")
        }
        return complete(category: c, slot: slot)
    }

    public mutating func batch(_ n: Int) -> [Triplet] { batchOfKept(n) }

    private mutating func complete(category c: Int, slot: Int) -> Triplet? {
        counters.queries += 1
        let group = table.members[c]
        for _ in 0..<parameters.maxTries {
            let positive = rows[c][slot].draw(&stream)
            let rPositive = table.relevance(category: c, slot, positive)
            if stream.nextBernoulli(parameters.outOfClassFraction) {
                let negative = table.drawOutOfClass(category: c, &stream)
                if parameters.keeps(positiveRelevance: rPositive, negativeRelevance: 0) {
                    return Triplet(query: group[slot], positive: group[positive], negative: negative)
                }
            } else {
                let negative = rows[c][slot].draw(&stream)
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
