import DatasetKit
import Methods
import Yams

/// `sampler`: the triplet sampler of a method that learns from triplets (the paper's
/// weighted sampler, uniform sampling, or the online reservoir version).
extension SpecParser {
    static let samplingKeys = ["relevance_cap", "relevance_margin", "out_of_class_fraction", "max_tries"]

    /// `sampler`: a kind name (`paper`) or a mapping; absent: the paper's sampler with the
    /// default parameters.
    static func parseSampler(_ map: SpecMapping) throws -> SamplerChoice {
        guard let value = map.optional("sampler") else { return .paper(SpecDefaults.sampling) }
        let kinds: [(key: String, value: [String])] = [("paper", samplingKeys), ("uniform", samplingKeys),
                                                       ("online", samplingKeys + ["buffer_size", "acceptance"])]
        let kind: String
        let settings: SpecMapping
        if case .mapping = value.node, value.peek("kind") != nil {
            (kind, settings) = try value.kindedMapping(discriminator: "kind", kinds: kinds)
        } else if case .mapping = value.node {
            kind = "paper"
            settings = try value.mapping(allowed: ["kind"] + samplingKeys)
        } else {
            kind = try value.choice(pairs: kinds.map { ($0.key, $0.key) })
            settings = try value.child(Node([] as [(Node, Node)]), keyPath: value.keyPath).mapping(allowed: [])
        }
        let d = SpecDefaults.sampling
        let p = TripletSamplingParameters(
            relevanceCap: try settings.float("relevance_cap", default: d.relevanceCap, allowed: "a number > 0 (T_p)") { $0 > 0 },
            relevanceMargin: try settings.float("relevance_margin", default: d.relevanceMargin,
                                                allowed: "a number >= 0 (T_r)") { $0 >= 0 },
            outOfClassFraction: try settings.double("out_of_class_fraction", default: d.outOfClassFraction,
                                                    allowed: "a probability in [0, 1]") { (0...1).contains($0) },
            maxTries: try settings.int("max_tries", default: d.maxTries, in: 1...Int.max))
        try surfacing(settings) { try p.validate() }
        switch kind {
        case "paper": return .paper(p)
        case "uniform": return .uniform(p)
        default:
            let size = try settings.int("buffer_size", default: SpecDefaults.onlineBufferSize, in: 2...Int.max,
                                        allowed: "an integer >= 2 (a query and a positive share a buffer)")
            let acceptance = try settings.choice("acceptance", default: SpecDefaults.onlineAcceptance,
                                                 ["paper": .paper, "normalized-to-buffer": .normalizedToBuffer])
            return .online(p, bufferSize: size, acceptance: acceptance)
        }
    }
}
