import TensorKit

/// A source of training triplets (the paper's section "Triplet Sampling"): the paper's
/// weighted sampler, the uniform comparison point and the online reservoir version all
/// conform, so a trainer can switch between them from a spec.
///
/// Each sampler draws everything from one `RandomStream` handed to it; its `state`
/// (stream position and counters) can be saved in a run file and restored to resume.
public protocol TripletSampler {
    /// Draws one query and tries up to `maxTries` times to complete it; nil when the query
    /// was dropped (counted in `state.dropped`).
    mutating func next() -> Triplet?
    /// Exactly `n` kept triplets (dropped queries are skipped). Throws when no triplet
    /// can be formed at all (only the online sampler, whose buffers can hold too little).
    mutating func batch(_ n: Int) throws(SamplingError) -> [Triplet]
    /// Stream position and counters, for run files.
    var state: TripletSamplerState { get }
    /// Continues from a saved state of a sampler built on the same data and parameters.
    mutating func restore(_ state: TripletSamplerState) throws(SamplingError)
}

/// A sampler's resumable state.
public struct TripletSamplerState: Codable, Equatable, Sendable {
    /// The sampler stream's xoshiro256** state words (`RandomStream.stateWords`).
    public var stream: [UInt64]
    /// Queries drawn so far (kept and dropped).
    public var queries: Int
    /// Queries dropped after `maxTries` failed tries.
    public var dropped: Int
    /// Tries that failed the sampling rules (including those of dropped queries).
    public var failedTries: Int
    /// Online sampler only: images of the arrival order offered to the buffers so far.
    public var arrivals: Int

    public init(stream: [UInt64], queries: Int = 0, dropped: Int = 0, failedTries: Int = 0, arrivals: Int = 0) {
        self.stream = stream
        self.queries = queries
        self.dropped = dropped
        self.failedTries = failedTries
        self.arrivals = arrivals
    }

    /// The stream, or a typed error when the words cannot be a xoshiro256** state.
    func restoredStream() throws(SamplingError) -> RandomStream {
        guard stream.count == 4 && stream.contains(where: { $0 != 0 }) else {
            throw .invalidParameter(name: "sampler state stream", value: "\(stream)",
                                    allowed: "four state words, not all zero")
        }
        guard queries >= 0 && dropped >= 0 && dropped <= queries && failedTries >= 0 && arrivals >= 0 else {
            throw .invalidParameter(name: "sampler state counters",
                                    value: "queries \(queries), dropped \(dropped), failed tries \(failedTries), "
                                        + "arrivals \(arrivals)",
                                    allowed: "non-negative counts with dropped <= queries")
        }
        return RandomStream(state: stream)
    }
}

extension TripletSampler {
    /// Draws until `n` triplets are kept. Samplers whose set-up proves that some query can
    /// be completed terminate with probability 1.
    mutating func batchOfKept(_ n: Int) -> [Triplet] {
        precondition(n >= 0, "negative batch size \(n)")
        var triplets: [Triplet] = []
        triplets.reserveCapacity(n)
        while triplets.count < n {
            if let triplet = next() { triplets.append(triplet) }
        }
        return triplets
    }
}
