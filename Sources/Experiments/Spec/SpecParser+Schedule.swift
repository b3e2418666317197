import Methods
import Yams

/// The SGD settings of the network methods (`steps`, `batch_size`, `learning_rate`, ...) and
/// of classifier pre-training (`pretrain`).
extension SpecParser {
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
}
