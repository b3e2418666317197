import TensorKit

/// The paper's online triplet sampling for data too large to hold (its section "Triplet
/// Sampling"; README, "The paper in brief"): images arrive one at a time, each category
/// keeps a `ReservoirBuffer` of `bufferSize` images weighted by total relevance r_j, and
/// triplets are drawn from the buffers only.
///
/// Arrivals: the table's images in an order shuffled once with the arrival stream (by
/// convention `sampler/online/arrival`); `ingest(_:)` offers the next images to their
/// category's buffer, drawing each reservoir key's u from the same arrival stream after
/// the shuffle. Buffer contents therefore depend only on the arrival stream and the
/// number of images ingested, never on the triplets drawn.
///
/// One query, from the sampler stream (by convention `sampler/online`):
/// 1. query i uniform over all buffered images whose buffer holds at least two (so a
///    category is chosen with probability proportional to its buffer's fill; the paper
///    does not say how categories are chosen);
/// 2. up to `maxTries` tries, each:
///    a. positive i+ uniform over the other images of i's buffer, accepted with
///       probability min(1, r(i, i+) / r_{i+}) as the paper states (r_{i+} the positive's
///       total relevance in the table; `PositiveAcceptance.paper`, the default), or with
///       that probability divided by its largest value over i's buffer
///       (`.normalizedToBuffer`); a rejected positive ends the try;
///    b. a Bernoulli(`outOfClassFraction`) deciding the kind of negative;
///    c. out-of-class: i- uniform over the images of the other buffers (a try fails when
///       they are empty); in-class: i- uniform over the other images of i's buffer (our
///       choice: no acceptance step for negatives);
///    and keeping (i, i+, i-) under the same margin rule as the offline samplers;
/// 3. after `maxTries` failed tries the query is dropped.
///
/// `relevanceCap` (T_p) is not used. Relevance comes from the `RelevanceTable`, so this
/// type simulates the online regime on data that fits; memory beyond the table is
/// `bufferSize` entries per category.
public struct OnlineReservoirSampler: TripletSampler {
    /// The conventional name of the sampler stream.
    public static let streamName = "sampler/online"
    /// The conventional name of the arrival stream (order and reservoir keys).
    public static let arrivalStreamName = "sampler/online/arrival"

    public let table: RelevanceTable
    public let parameters: TripletSamplingParameters
    /// Capacity of each category's buffer.
    public let bufferSize: Int
    /// How a drawn positive is accepted.
    public let acceptance: PositiveAcceptance
    /// The table's images in arrival order.
    public let arrivalOrder: [Int]
    /// One buffer per category of the table.
    public private(set) var buffers: [ReservoirBuffer]
    /// The arrival stream right after the shuffle (kept to replay arrivals on restore).
    private let keyStreamStart: RandomStream
    private var keyStream: RandomStream
    private var stream: RandomStream
    private var counters = TripletSamplerState(stream: [])
    /// Whether the buffers can complete some query; nil until asked after an ingest.
    private var completable: Bool?

    /// Buffers start empty: call `ingest(_:)` or `ingestAll()` before drawing. Throws when
    /// a parameter is out of range (`bufferSize` >= 2) or when `outOfClassFraction > 0`
    /// but the table has a single category.
    public init(table: RelevanceTable, parameters: TripletSamplingParameters = .init(), bufferSize: Int,
                acceptance: PositiveAcceptance = .default,
                arrivalStream: RandomStream, stream: RandomStream) throws(SamplingError) {
        try parameters.validate()
        guard bufferSize >= 2 else {
            throw .invalidParameter(name: "bufferSize", value: "\(bufferSize)",
                                    allowed: "an integer >= 2 (a query and a positive share a buffer)")
        }
        if parameters.outOfClassFraction > 0 && table.members.filter({ !$0.isEmpty }).count < 2 {
            throw .invalidParameter(name: "outOfClassFraction", value: "\(parameters.outOfClassFraction)",
                                    allowed: "0 when the images come from a single category")
        }
        self.table = table
        self.parameters = parameters
        self.bufferSize = bufferSize
        self.acceptance = acceptance
        var order = table.flatMembers
        var arrivals = arrivalStream
        arrivals.shuffle(&order)
        self.arrivalOrder = order
        self.keyStreamStart = arrivals
        self.keyStream = arrivals
        self.stream = stream
        self.buffers = Array(repeating: ReservoirBuffer(capacity: bufferSize), count: table.categoryCount)
    }

    /// Images of the arrival order not yet offered.
    public var remainingArrivals: Int { arrivalOrder.count - counters.arrivals }

    /// Offers the next `n` arriving images (fewer at the end of the order) to their
    /// category's buffer, each with weight r_j; returns how many were offered.
    @discardableResult
    public mutating func ingest(_ n: Int) -> Int {
        precondition(n >= 0, "negative arrival count \(n)")
        let offered = min(n, remainingArrivals)
        for position in counters.arrivals..<(counters.arrivals + offered) {
            let index = arrivalOrder[position]
            let (c, slot) = table.member(of: index)!
            buffers[c].offer(index, weight: table.totalRelevance[c][slot], stream: &keyStream)
        }
        counters.arrivals += offered
        if offered > 0 { completable = nil }
        return offered
    }

    /// Offers every remaining image.
    public mutating func ingestAll() { ingest(remainingArrivals) }

    public var state: TripletSamplerState {
        var state = counters
        state.stream = stream.stateWords
        return state
    }

    /// Replays `state.arrivals` arrivals from the start, then continues the sampler stream.
    public mutating func restore(_ state: TripletSamplerState) throws(SamplingError) {
        let restored = try state.restoredStream()
        guard state.arrivals <= arrivalOrder.count else {
            throw .invalidParameter(name: "sampler state arrivals", value: "\(state.arrivals)",
                                    allowed: "at most the \(arrivalOrder.count) images of the arrival order")
        }
        buffers = Array(repeating: ReservoirBuffer(capacity: bufferSize), count: table.categoryCount)
        keyStream = keyStreamStart
        counters.arrivals = 0
        ingest(state.arrivals)
        counters = state
        stream = restored
    }

    /// As the protocol says; also nil, counting nothing, while no buffer holds two images.
    public mutating func next() -> Triplet? {
        let eligible = buffers.reduce(0) { $0 + ($1.items.count >= 2 ? $1.items.count : 0) }
        guard eligible > 0 else { return nil }
        var k = stream.nextInt(below: eligible)
        var c = 0
        while buffers[c].items.count < 2 || k >= buffers[c].items.count {
            if buffers[c].items.count >= 2 { k -= buffers[c].items.count }
            c += 1
        }
        return complete(category: c, position: k)
    }

    /// One query fixed to dataset index `query`, which must be in a buffer holding at
    /// least two images: steps 2 and 3 above. Counts like `next()`.
    public mutating func triplet(forQuery query: Int) -> Triplet? {
        guard let (c, _) = table.member(of: query), buffers[c].items.count >= 2,
              let position = buffers[c].items.firstIndex(of: query) else {
            preconditionFailure("query \(query) is not in a buffer holding at least two images")
        }
        return complete(category: c, position: position)
    }

    /// Throws `noValidTriplet` when the buffers cannot complete any query (for instance
    /// before enough images were ingested).
    public mutating func batch(_ n: Int) throws(SamplingError) -> [Triplet] {
        if completable == nil { completable = buffersCanCompleteAQuery() }
        guard completable! else {
            throw .noValidTriplet(reason: "the buffers (\(buffers.map(\.items.count)) images after "
                + "\(counters.arrivals) arrivals) hold no query with a positive and a negative meeting "
                + "T_r = \(parameters.relevanceMargin) with out-of-class fraction \(parameters.outOfClassFraction)")
        }
        return batchOfKept(n)
    }

    /// Whether some buffered query has a kept triplet with positive probability.
    private func buffersCanCompleteAQuery() -> Bool {
        let f = parameters.outOfClassFraction
        let buffered = buffers.reduce(0) { $0 + $1.items.count }
        for buffer in buffers where buffer.items.count >= 2 {
            let othersExist = buffered > buffer.items.count
            for query in buffer.items {
                let row = buffer.items.filter { $0 != query }.map { table.relevance(query, $0) }
                let highest = row.max()!, lowest = row.min()!
                guard highest > 0 else { continue }
                if f > 0 && othersExist && parameters.keeps(positiveRelevance: highest, negativeRelevance: 0) {
                    return true
                }
                if f < 1 && parameters.keeps(positiveRelevance: highest, negativeRelevance: lowest) { return true }
            }
        }
        return false
    }

    /// A position in buffer `c` other than `position`, uniform.
    private mutating func drawOther(category c: Int, than position: Int) -> Int {
        let k = stream.nextInt(below: buffers[c].items.count - 1)
        return k >= position ? k + 1 : k
    }

    /// An image uniform over the buffers other than `c`, or nil when they are empty.
    private mutating func drawOutOfClass(category c: Int) -> Int? {
        let others = buffers.reduce(0) { $0 + $1.items.count } - buffers[c].items.count
        guard others > 0 else { return nil }
        var k = stream.nextInt(below: others)
        for (d, buffer) in buffers.enumerated() where d != c {
            if k < buffer.items.count { return buffer.items[k] }
            k -= buffer.items.count
        }
        preconditionFailure("unreachable: out-of-class draw beyond the buffers")
    }

    /// min(1, r(i, j) / r_j), 0 when r_j = 0.
    private func paperAcceptance(_ query: Int, _ positive: Int) -> Double {
        let (c, slot) = table.member(of: positive)!
        let total = table.totalRelevance[c][slot]
        return total > 0 ? min(1, Double(table.relevance(query, positive)) / total) : 0
    }

    private mutating func complete(category c: Int, position: Int) -> Triplet? {
        counters.queries += 1
        let items = buffers[c].items
        let query = items[position]
        var scale = 1.0
        if acceptance == .normalizedToBuffer {
            let largest = items.filter { $0 != query }.map { paperAcceptance(query, $0) }.max()!
            scale = largest > 0 ? 1 / largest : 0
        }
        for _ in 0..<parameters.maxTries {
            let positive = items[drawOther(category: c, than: position)]
            let rPositive = table.relevance(query, positive)
            guard stream.nextBernoulli(min(1, paperAcceptance(query, positive) * scale)) else {
                counters.failedTries += 1
                continue
            }
            let negative: Int?
            if stream.nextBernoulli(parameters.outOfClassFraction) {
                negative = drawOutOfClass(category: c)
            } else {
                let candidate = items[drawOther(category: c, than: position)]
                negative = candidate == positive ? nil : candidate
            }
            if let negative, parameters.keeps(positiveRelevance: rPositive,
                                              negativeRelevance: table.relevance(query, negative)) {
                return Triplet(query: query, positive: positive, negative: negative)
            }
            counters.failedTries += 1
        }
        counters.dropped += 1
        return nil
    }
}

/// How the online sampler accepts a positive drawn uniformly from the query's buffer.
///
/// Under `.paper` the acceptance min(1, r(i, j) / r_j) is about 1 / n_c when relevances
/// are alike (r_j sums over the whole category), so most tries fail and many queries are
/// dropped. `.normalizedToBuffer` divides it by its largest value over the query's buffer
/// (computed once per query, O(bufferSize)): rejection sampling with a per-query constant,
/// so a kept positive has the same distribution, proportional to r(i, j) / r_j, with
/// far fewer failed tries. Which queries survive `maxTries` differs between the two.
public enum PositiveAcceptance: String, Codable, Sendable {
    /// The rule when none is given (also the spec's default): the paper's.
    public static let `default` = PositiveAcceptance.paper

    case paper
    case normalizedToBuffer = "normalized-to-buffer"
}
