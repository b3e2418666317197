import DatasetKit
import Features
import Methods

extension ExperimentSpec {
    /// The run of this spec for `seed`: the data set choice (nothing is opened), the image
    /// pipeline and one method object per listed method. An OASIS method's base is the
    /// same object as the method of that name, so the runner trains it once.
    public func plan(seed: UInt64) throws -> ExperimentPlan {
        var built: [String: any SimilarityMethod] = [:]
        var methods: [any SimilarityMethod] = []
        for spec in self.methods {
            let method: any SimilarityMethod
            switch spec.kind {
            case .deepRanking(let s):
                method = DeepRankingMethod(name: spec.name, network: s.network, schedule: s.schedule, margin: s.margin,
                                           sampler: s.sampler, pretraining: s.pretraining, mining: s.mining,
                                           initialWeights: spec.initialWeights,
                                           pretrainingData: s.pretrainingDataset.map { choice in
                                               { streams in try choice.open(streams: streams) }
                                           },
                                           pretrainingConceptRelevance: s.pretrainingConceptRelevance,
                                           pretrainingTarget: s.pretrainingTarget,
                                           pretrainingScope: s.pretrainingScope)
            case .classifier(let network, let schedule):
                method = ClassifierMethod(name: spec.name, network: network, schedule: schedule,
                                          initialWeights: spec.initialWeights)
            case .handcrafted(let feature):
                method = HandcraftedMethod(name: spec.name, feature: try feature.make())
            case .golden(let features, let learning, let triplets, let sampler):
                method = GoldenMethod(name: spec.name, components: try features.map { try $0.make() }, learning: learning,
                                      trainingTriplets: triplets, sampler: sampler)
            case .oasis(let base, let parameters, let sampler, let featureMap):
                guard let baseMethod = built[base] else {
                    throw MethodError.invalidSetting(method: spec.name, key: "base", reason: "no method '\(base)' before it")
                }
                method = OASISMethod(name: spec.name, base: baseMethod, parameters: parameters, sampler: sampler,
                                     featureMap: featureMap)
            }
            built[spec.name] = method
            methods.append(method)
        }
        var plan = ExperimentPlan(name: experiment, seed: seed, dataset: dataset, testFraction: testFraction,
                                  evaluation: evaluation, augmentation: try input.augmentation(), methods: methods,
                                  metrics: metrics)
        plan.validationFraction = validationFraction
        plan.validationTriplets = validationTriplets
        return plan
    }
}
