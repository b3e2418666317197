import DatasetKit
import Features
import Methods
import NeuralNet
import Yams

extension SpecParser {
    static let scheduleKeys = ["steps", "batch_size", "learning_rate", "momentum", "nesterov", "weight_decay",
                               "lr_decay_factor"]
    static let methodKinds: [(key: String, value: [String])] = [
        ("deep-ranking", ["network"] + scheduleKeys + ["margin", "sampler", "pretrain"]),
        ("classifier", ["network"] + scheduleKeys),
        ("handcrafted", ["feature", "distance"]),
        ("golden", ["features", "triplets", "sampler", "regularization", "steps", "batch_size"]),
        ("oasis", ["base", "steps", "aggressiveness", "symmetrize_every", "report_every", "sampler"]),
    ]
    static let distances: [(key: String, value: FeatureDistance)] = FeatureDistance.allCases.map { ($0.rawValue, $0) }

    /// `methods`: a non-empty list; names unique; an OASIS `base` names a method listed earlier.
    static func parseMethods(_ value: SpecValue, input: InputSpec) throws -> [MethodSpec] {
        let items = try value.list(nonEmpty: true)
        let allNames = items.compactMap { try? $0.peek("name")?.string() }
        var methods: [MethodSpec] = []
        var rows: [String: String] = [:]  // row name -> key path of the method that makes it
        for item in items {
            let (type, map) = try item.kindedMapping(discriminator: "type", kinds: methodKinds, leading: ["name"])
            let nameNode = try map.required("name")
            let name = try nameNode.string()
            guard isName(name) else {
                throw nameNode.error("'\(name)' is not a valid method name",
                                     allowed: "lower-case letters, digits and '-', starting with a letter or digit")
            }
            if let earlier = methods.firstIndex(where: { $0.name == name }) {
                throw nameNode.error("duplicate method name '\(name)' (also methods[\(earlier)])",
                                     allowed: "a name used by no other method")
            }
            let kind: MethodSpec.Kind
            switch type {
            case "deep-ranking":
                kind = .deepRanking(DeepRankingSpec(
                    network: try parseNetwork(map, input: input),
                    schedule: try parseSchedule(map, steps: SpecDefaults.rankingSteps,
                                                batchSize: SpecDefaults.rankingBatchSize),
                    margin: try map.float("margin", default: SpecDefaults.margin, allowed: "a number > 0") { $0 > 0 },
                    sampler: try parseSampler(map),
                    pretraining: try parsePretraining(map)))
            case "classifier":
                kind = .classifier(network: try parseNetwork(map, input: input),
                                   schedule: try parseSchedule(map, steps: SpecDefaults.classifierSteps,
                                                               batchSize: SpecDefaults.classifierBatchSize))
            case "handcrafted":
                kind = .handcrafted(try parseFeature(map.required("feature"), distance: map.optional("distance"),
                                                     input: input))
            case "golden":
                var features: [FeatureChoice] = []
                if let list = map.optional("features") {
                    for entry in try list.list(nonEmpty: true) {
                        let choice: FeatureChoice
                        if case .mapping = entry.node {
                            let fmap = try entry.mapping(allowed: ["feature", "distance"])
                            choice = try parseFeature(fmap.required("feature"), distance: fmap.optional("distance"),
                                                      input: input)
                        } else {
                            choice = try parseFeature(entry, distance: nil, input: input)
                        }
                        if features.contains(where: { $0.feature == choice.feature }) {
                            throw entry.error("feature '\(choice.feature)' is listed twice", allowed: "each feature once")
                        }
                        features.append(choice)
                    }
                } else {
                    features = try FeatureCatalog.names.map {
                        try parseFeature(map.value.child(Node($0), keyPath: map.path("features")), distance: nil,
                                         input: input)
                    }
                }
                let learning = try surfacing(map) {
                    try GoldenWeightLearning(
                        regularization: try map.double("regularization", default: SpecDefaults.goldenRegularization,
                                                       allowed: "a number > 0") { $0 > 0 },
                        steps: try map.int("steps", default: SpecDefaults.goldenSteps, in: 2...Int.max),
                        batchSize: try map.int("batch_size", default: SpecDefaults.goldenBatchSize, in: 1...Int.max))
                }
                kind = .golden(features: features, learning: learning,
                               triplets: try map.int("triplets", default: SpecDefaults.goldenTriplets, in: 1...Int.max),
                               sampler: try parseSampler(map))
            default:
                let baseNode = try map.required("base")
                let base = try baseNode.string()
                if base == name {
                    throw baseNode.error("a method cannot be its own base", allowed: "the name of a method listed earlier")
                }
                if !methods.contains(where: { $0.name == base }) {
                    let earlier = methods.map(\.name).joined(separator: ", ")
                    let allowed = earlier.isEmpty ? "the name of a method listed earlier (none is)" : earlier
                    if allNames.contains(base) {
                        throw baseNode.error("base '\(base)' is listed after '\(name)'; list it earlier", allowed: allowed)
                    }
                    let suggestion = Suggestion.closest(to: base, in: methods.map(\.name))
                    throw baseNode.error("unknown method '\(base)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                                         allowed: allowed, suggestion: suggestion)
                }
                let parameters = try surfacing(map) {
                    try OASISParameters(
                        steps: try map.int("steps", default: SpecDefaults.oasisSteps, in: 1...Int.max),
                        aggressiveness: try map.float("aggressiveness", default: SpecDefaults.oasisAggressiveness,
                                                      allowed: "a number > 0") { $0 > 0 },
                        symmetrizeEvery: try map.int("symmetrize_every", default: SpecDefaults.oasisSymmetrizeEvery,
                                                     in: 0...Int.max),
                        reportEvery: try map.int("report_every", default: SpecDefaults.oasisReportEvery, in: 1...Int.max))
                }
                kind = .oasis(base: base, parameters: parameters, sampler: try parseSampler(map))
            }
            let method = MethodSpec(name: name, kind: kind)
            let madeRows = type == "classifier" ? ["\(name)-probabilities", "\(name)-penultimate"] : [name]
            for row in madeRows {
                if let other = rows[row] {
                    throw nameNode.error("row '\(row)' of this method is also a row of \(other)",
                                         allowed: "names whose table rows differ (a classifier adds -probabilities and -penultimate)")
                }
                rows[row] = "methods[\(methods.count)]"
            }
            methods.append(method)
        }
        return methods
    }

    /// A catalog feature with its distance (default: the feature's usual one), checked
    /// against the input size.
    static func parseFeature(_ value: SpecValue, distance: SpecValue?, input: InputSpec) throws -> FeatureChoice {
        let name = try value.choice(pairs: FeatureCatalog.names.map { ($0, $0) })
        let extractor = try FeatureCatalog.extractor(named: name)
        do {
            _ = try extractor.dimension(height: input.size, width: input.size)
        } catch {
            throw value.error("\(error)", allowed: "a larger input.size")
        }
        let d = try distance?.choice(pairs: distances) ?? HandCraftedFeature.defaultDistance(for: extractor)
        return FeatureChoice(feature: name, distance: d)
    }

    // MARK: - Optimisation

    /// The SGD keys of a network method or of `pretrain`.
    static func parseSchedule(_ map: SpecMapping, steps: Int, batchSize: Int,
                              minimumSteps: Int = 0) throws -> TrainingSchedule {
        TrainingSchedule(
            steps: try map.int("steps", default: steps, in: minimumSteps...Int.max),
            batchSize: try map.int("batch_size", default: batchSize, in: 1...Int.max),
            learningRate: try map.float("learning_rate", default: SpecDefaults.learningRate,
                                        allowed: "a number > 0") { $0 > 0 },
            momentum: try map.float("momentum", default: SpecDefaults.momentum,
                                    allowed: "a number in [0, 1)") { $0 >= 0 && $0 < 1 },
            nesterov: try map.bool("nesterov", default: SpecDefaults.nesterov),
            weightDecay: try map.float("weight_decay", default: SpecDefaults.weightDecay,
                                       allowed: "a number >= 0") { $0 >= 0 },
            decayFactor: try map.float("lr_decay_factor", default: SpecDefaults.learningRateDecay,
                                       allowed: "a number in (0, 1] (1: constant rate)") { $0 > 0 && $0 <= 1 })
    }

    /// `pretrain`: absent, null or false for none; true for the defaults; or a mapping of
    /// schedule keys.
    static func parsePretraining(_ map: SpecMapping) throws -> TrainingSchedule? {
        guard let value = map.optional("pretrain") else { return nil }
        let settings: SpecMapping
        if case .mapping = value.node {
            settings = try value.mapping(allowed: scheduleKeys)
        } else {
            guard try value.bool() else { return nil }
            settings = try value.child(Node([] as [(Node, Node)]), keyPath: value.keyPath).mapping(allowed: scheduleKeys)
        }
        return try parseSchedule(settings, steps: SpecDefaults.pretrainSteps, batchSize: SpecDefaults.pretrainBatchSize,
                                 minimumSteps: 1)
    }

    // MARK: - Samplers

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
