import DatasetKit
import TensorKit

/// Which triplet sampler a ranking method trains with (the paper's section "Triplet Sampling").
public enum SamplerChoice: Codable, Equatable, Sendable {
    /// The paper's relevance-weighted sampler.
    case paper(TripletSamplingParameters)
    /// The paper's comparison point: no relevance weighting.
    case uniform(TripletSamplingParameters)
    /// The paper's online version: one weighted reservoir buffer per category. The
    /// paper's acceptance of positives, min(1, r(i, j) / r_j), is about 1 / n_c per try;
    /// `.normalizedToBuffer` rescales it so the largest acceptance in the buffer is 1
    /// (same distribution of kept positives, far fewer dropped queries).
    case online(TripletSamplingParameters, bufferSize: Int, acceptance: PositiveAcceptance)

    /// Builds the sampler over the training split, drawing from the method's streams.
    public func make(table: RelevanceTable, streams: RandomStreams) throws -> any TripletSampler {
        switch self {
        case .paper(let p):
            return try PaperTripletSampler(table: table, parameters: p,
                                           stream: streams.stream(PaperTripletSampler.streamName))
        case .uniform(let p):
            return try UniformTripletSampler(table: table, parameters: p,
                                             stream: streams.stream(UniformTripletSampler.streamName))
        case .online(let p, let size, let acceptance):
            // The whole training split arrives before training starts (the data fits); the
            // buffers then hold what a pass over a stream too large to keep would leave.
            var sampler = try OnlineReservoirSampler(
                table: table, parameters: p, bufferSize: size, acceptance: acceptance,
                arrivalStream: streams.stream(OnlineReservoirSampler.arrivalStreamName),
                stream: streams.stream(OnlineReservoirSampler.streamName))
            sampler.ingestAll()
            return sampler
        }
    }
}
