/// One convolution stage: conv, ReLU, optional local response normalisation, optional
/// max-pool.
public struct ConvStage: Equatable, Codable, Sendable {
    public var channels: Int
    public var kernel: Int
    public var stride: Int
    public var padding: Int
    /// Max-pool window and stride after the ReLU (nil: no pooling).
    public var poolKernel: Int?
    public var poolStride: Int?
    /// Local response normalisation after the ReLU (AlexNet's size 5, alpha 1e-4, beta 0.75, k 2).
    public var localResponseNorm: Bool

    public init(channels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                poolKernel: Int? = 2, poolStride: Int? = nil, localResponseNorm: Bool = false) {
        self.channels = channels; self.kernel = kernel; self.stride = stride; self.padding = padding
        self.poolKernel = poolKernel; self.poolStride = poolStride; self.localResponseNorm = localResponseNorm
    }
}

/// A shallow part of the multi-scale network: the image subsampled by average pooling,
/// then one convolution stage, flattened (the paper's Figure 3: subsampled 4:1 and 8:1).
public struct ShallowPart: Equatable, Codable, Sendable {
    public var subsample: Int
    public var stage: ConvStage

    public init(subsample: Int, stage: ConvStage) {
        self.subsample = subsample; self.stage = stage
    }
}

/// The shape of a multi-scale deep ranking network (the paper, Sec. 4 "Network
/// architecture" and Figure 3).
///
/// Deep (ConvNet) part: `deepStages`, flatten, linear to `deepFeatures`, ReLU, dropout,
/// L2-normalise. Shallow parts: average-pool subsampling then one conv stage each;
/// concatenated and L2-normalised. Deep and shallow outputs are concatenated (deep first),
/// embedded linearly to `embedding` and L2-normalised. With no shallow parts the network is
/// the paper's single-scale ranking model: the deep part's normalised features.
public struct MultiScaleConfig: Equatable, Codable, Sendable {
    /// The random stream of the dropout mask on the ConvNet part's fc layer, in both the
    /// ranking and the classifier network (training loops save its position in checkpoints).
    public static let dropoutStream = "dropout/deep.fc"

    public var inputChannels: Int
    /// Gradient-orientation channels appended to the input before the first conv layers
    /// (`OrientationChannels`; 0: none, the paper's network).
    public var orientationChannels: Int
    public var inputSize: Int
    public var deepStages: [ConvStage]
    public var deepFeatures: Int
    /// Keep probability of the dropout on the ConvNet part's fc layer (the paper's is 0.6).
    public var dropoutKeep: Float
    public var shallowParts: [ShallowPart]
    public var embedding: Int

    public init(inputChannels: Int = 3, inputSize: Int, deepStages: [ConvStage], deepFeatures: Int,
                dropoutKeep: Float, shallowParts: [ShallowPart], embedding: Int, orientationChannels: Int = 0) {
        self.inputChannels = inputChannels; self.inputSize = inputSize
        self.orientationChannels = orientationChannels
        self.deepStages = deepStages; self.deepFeatures = deepFeatures; self.dropoutKeep = dropoutKeep
        self.shallowParts = shallowParts; self.embedding = embedding
    }

    /// The reference network (spec name `reference`), which the engine benchmark and the
    /// default comparison train: the paper's design scaled down to 3x64x64 input, three conv
    /// stages (32, 64, 128), fc 256 with dropout keep 0.6, shallow parts at 4:1 and 8:1 with
    /// 32 filters each, embedding 128.
    public static let reference = MultiScaleConfig(
        inputSize: 64,
        deepStages: [ConvStage(channels: 32, kernel: 5, padding: 2),
                     ConvStage(channels: 64, kernel: 3, padding: 1),
                     ConvStage(channels: 128, kernel: 3, padding: 1)],
        deepFeatures: 256, dropoutKeep: 0.6,
        shallowParts: [ShallowPart(subsample: 4, stage: ConvStage(channels: 32, kernel: 3, padding: 1)),
                       ShallowPart(subsample: 8, stage: ConvStage(channels: 32, kernel: 3, padding: 1))],
        embedding: 128)

    /// The paper's size (Sec. 4 "Network architecture", Figure 3): 3x225x225 input; an AlexNet-like
    /// ConvNet part (conv 11x11/4 96 + LRN + max-pool 3/2, conv 5x5 256 + LRN + max-pool 3/2,
    /// conv 3x3 384, 384, 256 + max-pool 3/2, fc 4096, dropout keep 0.6); shallow parts on the
    /// 4:1 (56x56) and 8:1 (28x28) average-pooled image, each conv 8x8/4 with 96 filters.
    /// The paper's pooling numbers do not add up; we pool 13x13 with 3/3 and 6x6 with 3/1 so
    /// both give 4x4x96, as its text says. Embedding 4096. The exact ConvNet layers are in a
    /// supplement that is not public; these follow AlexNet.
    public static let paperSized = MultiScaleConfig(
        inputSize: 225,
        deepStages: [ConvStage(channels: 96, kernel: 11, stride: 4, padding: 0, poolKernel: 3, poolStride: 2,
                               localResponseNorm: true),
                     ConvStage(channels: 256, kernel: 5, padding: 2, poolKernel: 3, poolStride: 2, localResponseNorm: true),
                     ConvStage(channels: 384, kernel: 3, padding: 1, poolKernel: nil),
                     ConvStage(channels: 384, kernel: 3, padding: 1, poolKernel: nil),
                     ConvStage(channels: 256, kernel: 3, padding: 1, poolKernel: 3, poolStride: 2)],
        deepFeatures: 4096, dropoutKeep: 0.6,
        shallowParts: [ShallowPart(subsample: 4, stage: ConvStage(channels: 96, kernel: 8, stride: 4, poolKernel: 3,
                                                                  poolStride: 3)),
                       ShallowPart(subsample: 8, stage: ConvStage(channels: 96, kernel: 8, stride: 4, poolKernel: 3,
                                                                  poolStride: 1))],
        embedding: 4096)

    /// The tiny network of the PyTorch fixture (Tests/Reference/make_torch_fixtures.py).
    public static let tiny = MultiScaleConfig(
        inputSize: 16,
        deepStages: [ConvStage(channels: 4, kernel: 5, padding: 2),
                     ConvStage(channels: 8, kernel: 3, padding: 1),
                     ConvStage(channels: 8, kernel: 3, padding: 1)],
        deepFeatures: 16, dropoutKeep: 1,
        shallowParts: [ShallowPart(subsample: 4, stage: ConvStage(channels: 4, kernel: 3, padding: 1)),
                       ShallowPart(subsample: 8, stage: ConvStage(channels: 4, kernel: 3, padding: 1))],
        embedding: 8)

    /// Output spatial size of a stage on an input of `size`.
    public static func outputSize(of stage: ConvStage, input size: Int) -> Int {
        let conv = (size + 2 * stage.padding - stage.kernel) / stage.stride + 1
        guard let pk = stage.poolKernel else { return conv }
        return (conv - pk) / (stage.poolStride ?? pk) + 1
    }

    /// Channels the first conv layer of every part reads: the input's and the orientation
    /// channels appended to it.
    public var layerInputChannels: Int { inputChannels + orientationChannels }

    /// Width of the flattened deep feature map that feeds the fc layer.
    public var deepFlattened: Int {
        var size = inputSize, channels = layerInputChannels
        for stage in deepStages { size = Self.outputSize(of: stage, input: size); channels = stage.channels }
        return channels * size * size
    }

    /// Width of each shallow part's flattened output.
    public var shallowWidths: [Int] {
        shallowParts.map { part in
            let size = Self.outputSize(of: part.stage, input: inputSize / part.subsample)
            return part.stage.channels * size * size
        }
    }

    /// Dimension of the network's output.
    public var outputDimension: Int { shallowParts.isEmpty ? deepFeatures : embedding }

    /// Forward floating-point operations per image in the conv and linear layers
    /// (2 per multiply-add); training counts 3x this (forward, and two GEMMs backward).
    public var forwardFlopsPerImage: Double { convFlopsPerImage + linearFlopsPerImage }

    /// Forward FLOPs per image of the convolutions alone.
    public var convFlopsPerImage: Double {
        var total = 0.0
        func add(_ stage: ConvStage, inChannels: Int, size: Int) {
            let out = (size + 2 * stage.padding - stage.kernel) / stage.stride + 1
            total += 2.0 * Double(stage.channels * out * out * inChannels * stage.kernel * stage.kernel)
        }
        var size = inputSize, channels = layerInputChannels
        for stage in deepStages {
            add(stage, inChannels: channels, size: size)
            size = Self.outputSize(of: stage, input: size); channels = stage.channels
        }
        for part in shallowParts { add(part.stage, inChannels: layerInputChannels, size: inputSize / part.subsample) }
        return total
    }

    /// Forward FLOPs per image of the linear layers.
    public var linearFlopsPerImage: Double {
        var total = 2.0 * Double(deepFlattened * deepFeatures)
        if !shallowParts.isEmpty {
            total += 2.0 * Double((deepFeatures + shallowWidths.reduce(0, +)) * embedding)
        }
        return total
    }
}
