import DatasetKit
import Features
import Methods
import NeuralNet
import Yams

extension SpecParser {
    static let scheduleKeys = ["steps", "batch_size", "learning_rate", "momentum", "nesterov", "weight_decay",
                               "lr_decay_factor", "schedule", "keep_best", "clip_gradient_norm"]
    static let methodKinds: [(key: String, value: [String])] = [
        ("deep-ranking", ["network"] + scheduleKeys + ["margin", "sampler", "pretrain", "mining"]),
        ("classifier", ["network"] + scheduleKeys),
        ("handcrafted", ["feature", "distance"]),
        ("golden", ["features", "triplets", "sampler", "regularization", "steps", "batch_size"]),
        ("oasis", ["base", "steps", "aggressiveness", "symmetrize_every", "report_every", "sampler", "feature_map"]),
    ]
    static let distances: [(key: String, value: FeatureDistance)] = FeatureDistance.allCases.map { ($0.rawValue, $0) }

    /// `methods`: a non-empty list; names unique; an OASIS `base` names a method listed earlier.
    static func parseMethods(_ value: SpecValue, input: InputSpec, specPath: String,
                             weightsFiles: WeightsFileReading) throws -> [MethodSpec] {
        let items = try value.list(nonEmpty: true)
        let allNames = items.compactMap { try? $0.peek("name")?.string() }
        var methods: [MethodSpec] = []
        var rows: [String: String] = [:]  // row name -> key path of the method that makes it
        for item in items {
            let (type, map) = try item.kindedMapping(discriminator: "type", kinds: methodKinds, leading: ["name"])
            let nameNode = try map.required("name")
            let name = try parseMethodName(nameNode, methods: methods)
            let kind: MethodSpec.Kind
            switch type {
            case "deep-ranking": kind = try parseDeepRanking(map, input: input, specPath: specPath)
            case "classifier":
                kind = .classifier(network: try parseNetwork(map, input: input),
                                   schedule: try parseSchedule(map, steps: SpecDefaults.classifierSteps,
                                                               batchSize: SpecDefaults.classifierBatchSize))
            case "handcrafted":
                kind = .handcrafted(try parseFeature(map.required("feature"), distance: map.optional("distance"),
                                                     input: input))
            case "golden": kind = try parseGolden(map, input: input)
            default: kind = try parseOASIS(map, name: name, earlier: methods, allNames: allNames)
            }
            let madeRows = type == "classifier" ? ["\(name)-probabilities", "\(name)-penultimate"] : [name]
            for row in madeRows {
                if let other = rows[row] {
                    throw nameNode.error("row '\(row)' of this method is also a row of \(other)",
                                         allowed: "names whose table rows differ (a classifier adds -probabilities and -penultimate)")
                }
                rows[row] = "methods[\(methods.count)]"
            }
            methods.append(MethodSpec(name: name, kind: kind,
                                      initialWeights: type == "deep-ranking" || type == "classifier"
                                          ? try parseInitialWeights(map, specPath: specPath, reading: weightsFiles) : nil))
        }
        return methods
    }

    /// `name`: valid and used by no method listed before.
    static func parseMethodName(_ nameNode: SpecValue, methods: [MethodSpec]) throws -> String {
        let name = try nameNode.string()
        guard isName(name) else {
            throw nameNode.error("'\(name)' is not a valid method name",
                                 allowed: "lower-case letters, digits and '-', starting with a letter or digit")
        }
        if let earlier = methods.firstIndex(where: { $0.name == name }) {
            throw nameNode.error("duplicate method name '\(name)' (also methods[\(earlier)])",
                                 allowed: "a name used by no other method")
        }
        return name
    }

    /// `type: deep-ranking`: the network, its schedule, the margin g, the sampler, pre-training
    /// and hard mining.
    static func parseDeepRanking(_ map: SpecMapping, input: InputSpec, specPath: String) throws -> MethodSpec.Kind {
        let network = try parseNetwork(map, input: input)
        let schedule = try parseSchedule(map, steps: SpecDefaults.rankingSteps, batchSize: SpecDefaults.rankingBatchSize)
        let margin = try map.float("margin", default: SpecDefaults.margin, allowed: "a number > 0") { $0 > 0 }
        let sampler = try parseSampler(map)
        let pretraining = try parsePretraining(map, specPath: specPath)
        return .deepRanking(DeepRankingSpec(network: network, schedule: schedule, margin: margin, sampler: sampler,
                                            pretraining: pretraining.schedule, mining: try parseMining(map),
                                            pretrainingDataset: pretraining.dataset,
                                            pretrainingConceptRelevance: pretraining.conceptRelevance,
                                            pretrainingTarget: pretraining.target,
                                            pretrainingScope: pretraining.scope))
    }

    /// `type: golden`: the features (default: every catalog feature), the weight learning and
    /// its training triplets.
    static func parseGolden(_ map: SpecMapping, input: InputSpec) throws -> MethodSpec.Kind {
        let features = try parseGoldenFeatures(map, input: input)
        let learning = try surfacing(map) {
            try GoldenWeightLearning(
                regularization: try map.double("regularization", default: SpecDefaults.goldenRegularization,
                                               allowed: "a number > 0") { $0 > 0 },
                steps: try map.int("steps", default: SpecDefaults.goldenSteps, in: 2...Int.max),
                batchSize: try map.int("batch_size", default: SpecDefaults.goldenBatchSize, in: 1...Int.max))
        }
        return .golden(features: features, learning: learning,
                       triplets: try map.int("triplets", default: SpecDefaults.goldenTriplets, in: 1...Int.max),
                       sampler: try parseSampler(map))
    }

    /// `features` of a golden method: names or `{feature, distance}` mappings, each once.
    static func parseGoldenFeatures(_ map: SpecMapping, input: InputSpec) throws -> [FeatureChoice] {
        guard let list = map.optional("features") else {
            return try FeatureCatalog.names.map {
                try parseFeature(map.value.child(Node($0), keyPath: map.path("features")), distance: nil, input: input)
            }
        }
        var features: [FeatureChoice] = []
        for entry in try list.list(nonEmpty: true) {
            let choice: FeatureChoice
            if case .mapping = entry.node {
                let fmap = try entry.mapping(allowed: ["feature", "distance"])
                choice = try parseFeature(fmap.required("feature"), distance: fmap.optional("distance"), input: input)
            } else {
                choice = try parseFeature(entry, distance: nil, input: input)
            }
            if features.contains(where: { $0.feature == choice.feature }) {
                throw entry.error("feature '\(choice.feature)' is listed twice", allowed: "each feature once")
            }
            features.append(choice)
        }
        return features
    }

    /// `type: oasis`: its `base` (a method listed earlier), the passive-aggressive settings, the
    /// sampler and the `feature_map` applied to the base's vectors.
    static func parseOASIS(_ map: SpecMapping, name: String, earlier methods: [MethodSpec],
                           allNames: [String]) throws -> MethodSpec.Kind {
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
        let featureMapNode = map.optional("feature_map")
        let featureMap = try featureMapNode.map { node in
            try node.choice(pairs: FeatureMap.allCases.map { ($0.rawValue, $0) })
        } ?? SpecDefaults.oasisFeatureMap
        if featureMap == .squareRoot, let node = featureMapNode,
           let baseKind = methods.first(where: { $0.name == base })?.kind {
            guard case .handcrafted = baseKind else {
                throw node.error("feature_map square-root needs a base with no negative components, and '\(base)' is "
                                 + "not a handcrafted feature", allowed: "none, or a handcrafted base (histograms, HOG)")
            }
        }
        return .oasis(base: base, parameters: parameters, sampler: try parseSampler(map), featureMap: featureMap)
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
}
