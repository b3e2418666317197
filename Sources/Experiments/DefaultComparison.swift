import DatasetKit
import Features
import Methods
import NeuralNet

/// The comparison of issue 4 on the embedded synthetic data at CPU size: multi-scale and
/// single-scale deep ranking, the classifier baseline (probabilities and penultimate
/// features), the hand-crafted features of PAPER.md Table 1, their golden combination,
/// and OASIS on HOG and on the single-scale embeddings. Until experiment specs exist
/// (issue 5) this is the one built-in plan; `deeprank bench methods` runs it.
public enum DefaultComparison {
    /// Training budget knobs; `steps` scales every network's schedule.
    public struct Budget: Sendable {
        public var rankingSteps: Int
        public var classifierSteps: Int
        public var tripletsPerStep: Int
        public var oasisSteps: Int
        public var goldenTriplets: Int
        public var learningRate: Float
        /// T_r of every sampler.
        public var relevanceMargin: Float
        /// Classifier pre-training steps of the ranking networks (0: none).
        public var pretrainSteps: Int

        /// Defaults measured on seed 1 (`deeprank bench methods --methods deep-ranking`, 400
        /// steps): lr 0.01 -> 61.7%, 0.05 -> 66.5%, 0.1 -> 65.5%; T_r 0.2 -> 69.1%;
        /// 200 pre-training steps -> 75.9% (README, "The comparison").
        public init(rankingSteps: Int = 600, classifierSteps: Int = 400, tripletsPerStep: Int = 32,
                    oasisSteps: Int = 20_000, goldenTriplets: Int = 4_000, learningRate: Float = 0.05,
                    relevanceMargin: Float = 0.2, pretrainSteps: Int = 200) {
            self.rankingSteps = rankingSteps; self.classifierSteps = classifierSteps
            self.tripletsPerStep = tripletsPerStep; self.oasisSteps = oasisSteps; self.goldenTriplets = goldenTriplets
            self.learningRate = learningRate
            self.relevanceMargin = relevanceMargin
            self.pretrainSteps = pretrainSteps
        }
    }

    /// The network of issue 2's benchmark (64x64 input, embedding 128).
    public static let network = MultiScaleConfig.reference

    public static func plan(seed: UInt64, budget: Budget = Budget(), synthetic: SyntheticConfig = SyntheticConfig()) throws -> ExperimentPlan {
        let sampler = SamplerChoice.paper(TripletSamplingParameters(relevanceMargin: budget.relevanceMargin))
        var singleScaleNetwork = network
        singleScaleNetwork.shallowParts = []
        let ranking = TrainingSchedule(steps: budget.rankingSteps, batchSize: budget.tripletsPerStep,
                                       learningRate: budget.learningRate, momentum: 0.9, nesterov: true, weightDecay: 0.001)
        let classifier = TrainingSchedule(steps: budget.classifierSteps, batchSize: 3 * budget.tripletsPerStep,
                                          learningRate: budget.learningRate, momentum: 0.9, nesterov: true, weightDecay: 0.001)
        let pretraining = budget.pretrainSteps > 0
            ? TrainingSchedule(steps: budget.pretrainSteps, batchSize: classifier.batchSize, learningRate: budget.learningRate)
            : nil
        let singleScale = DeepRankingMethod(name: "single-scale-ranking", network: singleScaleNetwork, schedule: ranking,
                                            margin: 0.2, sampler: sampler, pretraining: pretraining)
        func feature(_ name: String) throws -> HandCraftedFeature {
            let extractor = try FeatureCatalog.extractor(named: name)
            return HandCraftedFeature(extractor, distance: HandCraftedFeature.defaultDistance(for: extractor))
        }
        let hand = try FeatureCatalog.names.map { try feature($0) }
        let hog = HandcraftedMethod(name: "hog", feature: try feature("hog"))
        var methods: [any SimilarityMethod] = zip(FeatureCatalog.names, hand).map { HandcraftedMethod(name: $0, feature: $1) }
        methods += [
            GoldenMethod(name: "golden", components: hand, learning: try GoldenWeightLearning(),
                         trainingTriplets: budget.goldenTriplets, sampler: sampler),
            OASISMethod(name: "oasis-hog", base: hog, parameters: try OASISParameters(steps: budget.oasisSteps), sampler: sampler),
            ClassifierMethod(name: "classifier", network: network, schedule: classifier),
            singleScale,
            OASISMethod(name: "oasis-single-scale", base: singleScale,
                        parameters: try OASISParameters(steps: budget.oasisSteps), sampler: sampler),
            DeepRankingMethod(name: "deep-ranking", network: network, schedule: ranking, margin: 0.2, sampler: sampler,
                              pretraining: pretraining),
        ]
        let augmentation = try Augmentation(
            resize: Resize(height: network.inputSize, width: network.inputSize), maxShift: 4,
            normalization: ChannelNormalization(mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25]))
        return ExperimentPlan(name: "default-comparison", seed: seed, dataset: .synthetic(synthetic), testFraction: 0.25,
                              evaluation: EvaluationTripletParameters(count: 2_000), augmentation: augmentation,
                              methods: methods)
    }
}
