import NeuralNet
import RunFile
import Yams

extension SpecParser {
    /// The network presets a spec's `network` (or its `preset`) names, in the order listed
    /// in errors.
    public static let networkPresets: [(key: String, value: MultiScaleConfig)] = [
        ("reference", .reference), ("tiny", .tiny), ("paper-sized", .paperSized),
    ]
    static let initFromKey = "init_from"
    static let networkKeys = ["preset", "input_size", "embedding", "deep_features", "dropout_keep", "single_scale",
                              "deep_stages", "shallow_parts", "orientation_channels", initFromKey]
    static let stageKeys = ["channels", "kernel", "stride", "padding", "pool_kernel", "pool_stride",
                            "local_response_norm"]

    /// `network.init_from` of a deep-ranking or classifier method: a weights file
    /// (`WeightsFile`), resolved against the spec's folder, with the digest of its bytes now
    /// (with `.namedOnly`, `WeightsSource.notRead`); nil when the network is a preset name or
    /// the key is absent. Whether its parameters fit the network is checked when training
    /// starts (the file may be large).
    static func parseInitialWeights(_ method: SpecMapping, specPath: String,
                                    reading: WeightsFileReading) throws -> WeightsSource? {
        guard let network = method.optional("network"), case .mapping = network.node,
              let value = try network.mapping(allowed: networkKeys).optional(initFromKey) else { return nil }
        let path = resolve(try value.string(), against: specPath)
        guard reading == .hashed else { return WeightsSource(path: path, sha256: WeightsSource.notRead) }
        do {
            return try WeightsSource(path: path)
        } catch let error as WeightsFileError {
            throw value.error("\(error)", allowed: "a weights file (Tests/Reference/export_torch_weights.py writes one)")
        }
    }

    /// `network` of a deep-ranking or classifier method: a preset name or a mapping that
    /// starts from a preset and overrides parts of it. Its input size must be `input.size`,
    /// and every stage must leave at least one pixel.
    static func parseNetwork(_ method: SpecMapping, input: InputSpec) throws -> MultiScaleConfig {
        let value = method.optional("network")
            ?? method.value.child(Node(SpecDefaults.network), keyPath: method.path("network"))
        var config: MultiScaleConfig
        var sizeNode = value
        var stageNodes: [SpecValue] = [], partNodes: [SpecValue] = []
        if case .mapping = value.node {
            let map = try value.mapping(allowed: networkKeys)
            config = try map.optional("preset")?.choice(pairs: networkPresets)
                ?? networkPresets.first { $0.key == SpecDefaults.network }!.value
            if let size = map.optional("input_size") {
                config.inputSize = try size.int(in: 8...1024)
                sizeNode = size
            }
            config.embedding = try map.int("embedding", default: config.embedding, in: 1...Int.max)
            config.deepFeatures = try map.int("deep_features", default: config.deepFeatures, in: 1...Int.max)
            config.dropoutKeep = try map.float("dropout_keep", default: config.dropoutKeep,
                                               allowed: "a probability in (0, 1] (1: no dropout)") { $0 > 0 && $0 <= 1 }
            config.orientationChannels = try map.int("orientation_channels", default: config.orientationChannels,
                                                     in: 0...180)
            if let stages = map.optional("deep_stages") {
                stageNodes = try stages.list(nonEmpty: true)
                config.deepStages = try stageNodes.map { try parseStage($0.mapping(allowed: stageKeys)) }
            }
            if let parts = map.optional("shallow_parts") {
                partNodes = try parts.list()
                config.shallowParts = try partNodes.map {
                    let part = try $0.mapping(allowed: ["subsample"] + stageKeys)
                    return ShallowPart(subsample: try part.required("subsample").int(in: 1...Int.max,
                                                                                     allowed: "an integer >= 1"),
                                       stage: try parseStage(part))
                }
            }
            if try map.bool("single_scale", default: false) {
                if !partNodes.isEmpty {
                    throw map["single_scale"]!.error("single_scale: true leaves out the shallow parts, but shallow_parts lists some",
                                                     allowed: "single_scale or shallow_parts, not both")
                }
                config.shallowParts = []
            }
        } else {
            config = try value.choice(pairs: networkPresets)
        }
        guard config.inputSize == input.size else {
            throw sizeNode.error("the network's input size \(config.inputSize) differs from input.size \(input.size)",
                                 allowed: "input.size (\(input.size)); set network.input_size or input.size so they agree")
        }
        // Every stage must leave at least one pixel.
        var size = config.inputSize
        for (i, stage) in config.deepStages.enumerated() {
            guard let out = outputSize(of: stage, input: size) else {
                throw (i < stageNodes.count ? stageNodes[i] : value).error(
                    "deep stage \(i + 1) (kernel \(stage.kernel), stride \(stage.stride), pool \(stage.poolKernel.map(String.init) ?? "none")) "
                        + "gets a \(size)x\(size) input and leaves no pixels",
                    allowed: "smaller kernels or pools, or a larger input size")
            }
            size = out
        }
        for (i, part) in config.shallowParts.enumerated() {
            let partInput = config.inputSize / part.subsample
            guard partInput >= 1, outputSize(of: part.stage, input: partInput) != nil else {
                throw (i < partNodes.count ? partNodes[i] : value).error(
                    "shallow part \(i + 1) (subsample \(part.subsample), kernel \(part.stage.kernel)) "
                        + "gets a \(partInput)x\(partInput) input and leaves no pixels",
                    allowed: "a smaller subsample, kernel or pool, or a larger input size")
            }
        }
        return config
    }

    /// The stage's output size on a `size x size` input; nil when nothing is left.
    static func outputSize(of stage: ConvStage, input size: Int) -> Int? {
        guard size + 2 * stage.padding >= stage.kernel else { return nil }
        let out = MultiScaleConfig.outputSize(of: stage, input: size)
        if let pool = stage.poolKernel, (size + 2 * stage.padding - stage.kernel) / stage.stride + 1 < pool { return nil }
        return out >= 1 ? out : nil
    }

    static func parseStage(_ map: SpecMapping) throws -> ConvStage {
        let kernel = try map.required("kernel").int(in: 1...Int.max, allowed: "an integer >= 1")
        var poolKernel: Int? = 2
        if let pool = map["pool_kernel"] {
            poolKernel = pool.isNull ? nil : try pool.int(in: 1...Int.max, allowed: "an integer >= 1, or null for no pooling")
        }
        return ConvStage(
            channels: try map.required("channels").int(in: 1...Int.max, allowed: "an integer >= 1"),
            kernel: kernel,
            stride: try map.int("stride", default: 1, in: 1...Int.max),
            padding: try map.int("padding", default: 0, in: 0...Int.max),
            poolKernel: poolKernel,
            poolStride: try map.optional("pool_stride")?.int(in: 1...Int.max,
                                                             allowed: "an integer >= 1 (default: pool_kernel)"),
            localResponseNorm: try map.bool("local_response_norm", default: false))
    }
}
