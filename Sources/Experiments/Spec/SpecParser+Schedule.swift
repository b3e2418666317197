import Methods
import Yams

/// The SGD settings of the network methods (`steps`, `batch_size`, `learning_rate`, ...,
/// the learning-rate `schedule`) and of classifier pre-training (`pretrain`).
extension SpecParser {
    /// The SGD keys of a network method or of `pretrain`.
    static func parseSchedule(_ map: SpecMapping, steps: Int, batchSize: Int,
                              minimumSteps: Int = 0) throws -> TrainingSchedule {
        let stepCount = try map.int("steps", default: steps, in: minimumSteps...Int.max)
        let shape = try parseLearningRateShape(map, steps: stepCount)
        if shape != .stepDecay, let factor = map["lr_decay_factor"] {
            throw factor.error("lr_decay_factor belongs to the step-decay schedule, but schedule is \(shape.kindName)",
                               allowed: "lr_decay_factor with schedule step-decay (the default), or no lr_decay_factor")
        }
        return TrainingSchedule(
            steps: stepCount,
            batchSize: try map.int("batch_size", default: batchSize, in: 1...Int.max),
            learningRate: try map.float("learning_rate", default: SpecDefaults.learningRate,
                                        allowed: "a number > 0") { $0 > 0 },
            momentum: try map.float("momentum", default: SpecDefaults.momentum,
                                    allowed: "a number in [0, 1)") { $0 >= 0 && $0 < 1 },
            nesterov: try map.bool("nesterov", default: SpecDefaults.nesterov),
            weightDecay: try map.float("weight_decay", default: SpecDefaults.weightDecay,
                                       allowed: "a number >= 0") { $0 >= 0 },
            decayFactor: try map.float("lr_decay_factor", default: SpecDefaults.learningRateDecay,
                                       allowed: "a number in (0, 1] (1: constant rate)") { $0 > 0 && $0 <= 1 },
            shape: shape, selection: try parseSelection(map),
            clipGradientNorm: try map.optional("clip_gradient_norm")?.float(
                allowed: "a number > 0: the largest L2 norm of all gradients together (absent: no clipping)") {
                $0 > 0 && $0.isFinite
            })
    }

    /// `keep_best: {every: N}`: keep the parameters that score best on the validation split,
    /// checked every N steps and after the last (needs `split.validation_fraction` > 0,
    /// which `parseDocument` checks); absent: the last parameters.
    static func parseSelection(_ map: SpecMapping) throws -> ValidationSelection? {
        guard let value = map.optional("keep_best") else { return nil }
        let settings = try value.mapping(allowed: ["every"])
        return ValidationSelection(every: try settings.int("every", default: SpecDefaults.keepBestEvery, in: 1...Int.max))
    }

    static let learningRateShapes: [(key: String, value: [String])] = [
        ("step-decay", []), ("cosine", ["warmup_steps", "final_fraction"]),
    ]

    /// `schedule`: a kind name (`step-decay`, `cosine`) or a mapping `{kind, ...}`; absent:
    /// the step decay. The cosine's `warmup_steps` must be below `steps` (a run that never
    /// leaves its warm-up is a mistake).
    static func parseLearningRateShape(_ map: SpecMapping, steps: Int) throws -> LearningRateShape {
        guard let value = map.optional("schedule") else { return .default }
        let kind: String
        let settings: SpecMapping
        if case .mapping = value.node {
            (kind, settings) = try value.kindedMapping(discriminator: "kind", kinds: learningRateShapes)
        } else {
            kind = try value.choice(pairs: learningRateShapes.map { ($0.key, $0.key) })
            settings = try value.child(Node([] as [(Node, Node)]), keyPath: value.keyPath).mapping(allowed: [])
        }
        guard kind == "cosine" else { return .stepDecay }
        let warmup = try settings.int("warmup_steps", default: SpecDefaults.warmupSteps, in: 0...Int.max)
        if warmup > 0 && warmup >= steps {
            throw settings.location("warmup_steps").error("warm-up of \(warmup) steps in a run of \(steps) steps",
                                                          allowed: "an integer in 0...\(max(steps - 1, 0)) (below steps)")
        }
        let final = try settings.float("final_fraction", default: SpecDefaults.finalLearningRateFraction,
                                       allowed: "a fraction in [0, 1] of learning_rate") { (0...1).contains($0) }
        return .cosine(warmupSteps: warmup, finalFraction: final)
    }

    static let pretrainDatasetKey = "dataset"
    static let pretrainConceptKey = "concept_relevance"
    static let pretrainTargetKey = "target"
    static let pretrainScopeKey = "scope"

    /// What `pretrain` asks for beside its schedule.
    struct Pretraining {
        var schedule: TrainingSchedule?
        var dataset: DatasetChoice?
        var conceptRelevance: Float?
        var target = SpecDefaults.pretrainTarget
        var scope = SpecDefaults.pretrainScope
    }

    /// `pretrain`: absent, null or false for none; true for the defaults; or a mapping of
    /// schedule keys and
    /// - `dataset`: a data set of its own for pre-training, every image of it a training
    ///   image (nil: the run's training split). That data set is opened when the method
    ///   trains, and may share no image with the run's (`DeepRankingMethod`);
    /// - or `concept_relevance`: the training split's concept groups at that relevance
    ///   (`ConceptGroups`, as `mining.concept_relevance`) as the classes, instead of the
    ///   categories;
    /// - `target`: `categories` (a classifier, the paper's) or `hog` (regress each image's
    ///   HOG descriptor; not with `concept_relevance`, which chooses classes);
    /// - `scope`: `convnet` (the ConvNet part, the paper's) or `network` (the whole network
    ///   through a head on its embedding; only with target `hog`).
    /// Pre-training on other images, other labels or HOG is not what the validation triplets
    /// score, so it takes no `keep_best`.
    static func parsePretraining(_ map: SpecMapping, specPath: String) throws -> Pretraining {
        guard let value = map.optional("pretrain") else { return Pretraining() }
        let settings: SpecMapping
        var result = Pretraining()
        if case .mapping = value.node {
            settings = try value.mapping(allowed: scheduleKeys + [pretrainDatasetKey, pretrainConceptKey, pretrainTargetKey,
                                                                pretrainScopeKey])
            let datasetNode = settings.optional(pretrainDatasetKey)
            let conceptNode = settings.optional(pretrainConceptKey)
            let targetNode = settings.optional(pretrainTargetKey)
            if let datasetNode, conceptNode != nil {
                throw datasetNode.error("pretrain has both a dataset and concept_relevance",
                                        allowed: "one of them: another data set, or the training split's concepts")
            }
            result.target = try targetNode?.choice(pairs: PretrainingTarget.allCases.map { ($0.rawValue, $0) })
                ?? SpecDefaults.pretrainTarget
            if result.target == .hog, let conceptNode {
                throw conceptNode.error("pretrain.concept_relevance chooses a classifier's classes, but target is hog",
                                        allowed: "concept_relevance with target categories (the default), or none")
            }
            if let scopeNode = settings.optional(pretrainScopeKey) {
                result.scope = try scopeNode.choice(pairs: PretrainingScope.allCases.map { ($0.rawValue, $0) })
                if result.scope == .network, result.target != .hog {
                    throw scopeNode.error("pretrain.scope network regresses HOG through a head on the embedding, but "
                                          + "target is \(result.target.rawValue)",
                                          allowed: "scope network with target hog, or scope convnet (the default)")
                }
            }
            if datasetNode != nil || conceptNode != nil || result.target != .categories, let keepBest = settings["keep_best"] {
                throw keepBest.error("pre-training on its own dataset, on concepts or on HOG cannot keep its best "
                                     + "weights: the validation triplets score the run's categories on the run's images",
                                     allowed: "no keep_best under a pretrain that has a dataset or concept_relevance, "
                                        + "or target hog")
            }
            if let datasetNode { result.dataset = try parseDataset(datasetNode, specPath: specPath) }
            result.conceptRelevance = try conceptNode?.float(
                allowed: "a relevance > 0: training images joined by pairs with r >= it are one class") {
                $0 > 0 && $0.isFinite
            }
        } else {
            guard try value.bool() else { return Pretraining() }
            settings = try value.child(Node([] as [(Node, Node)]), keyPath: value.keyPath).mapping(allowed: scheduleKeys)
        }
        result.schedule = try parseSchedule(settings, steps: SpecDefaults.pretrainSteps,
                                            batchSize: SpecDefaults.pretrainBatchSize, minimumSteps: 1)
        return result
    }

    /// `keep_best` chooses on the validation split: a spec without one may not ask for it.
    static func requireNoSelection(_ methods: [MethodSpec], _ node: SpecValue) throws {
        for (method, item) in zip(methods, try node.list(nonEmpty: true)) {
            let schedules: [(TrainingSchedule?, String)]
            switch method.kind {
            case .deepRanking(let s): schedules = [(s.schedule, "keep_best"), (s.pretraining, "pretrain")]
            case .classifier(_, let schedule): schedules = [(schedule, "keep_best")]
            default: schedules = []
            }
            for case let (schedule?, key) in schedules where schedule.selection != nil {
                throw try item.mapping(allowed: ["name", "type"] + methodKinds.flatMap(\.value)).location(key).error(
                    "keep_best chooses on the validation split, but the spec has none",
                    allowed: "split.validation_fraction > 0, or no keep_best")
            }
        }
    }
}
