import TensorKit

/// The multi-scale deep ranking network (Wang et al. 2014; the paper, Sec. 4 "Network
/// architecture" and Figure 3): a ConvNet part and shallow parts on subsampled copies of
/// the image, each L2-normalised, joined by a linear embedding and L2-normalised again.
///
/// Input `[N, C, S, S]`; output `[N, outputDimension]`, unit-norm rows. Parameter names:
/// `deep.conv<i>.*`, `deep.fc.*`, `shallow_<a|b|...>.conv.*`, `embed.*`.
public final class MultiScaleNetwork {
    public let config: MultiScaleConfig
    public let deep: Sequential
    public let shallow: [Sequential]
    public let store: ParameterStore

    /// The orientation channels every part reads (`config.orientationChannels` > 0), computed
    /// once per forward pass for all of them.
    private let orientation: OrientationChannels?
    private let deepDropout: Dropout
    private let deepNorm = L2Normalize()
    private let shallowConcat = ChannelConcat()
    private let shallowNorm = L2Normalize()
    private let joinConcat = ChannelConcat()
    private let embed: Linear?
    private let outputNorm = L2Normalize()

    /// Builds the network, initialising parameters from `streams` (`init/<name>`) and
    /// giving dropout the stream `dropout/deep.fc`.
    public init(config: MultiScaleConfig, streams: RandomStreams, initializer: Initializer = .pytorchDefault) {
        self.config = config
        deepDropout = Dropout(keep: config.dropoutKeep, stream: streams.stream(MultiScaleConfig.dropoutStream))
        orientation = MultiScaleNetwork.orientationLayer(config)
        deep = Sequential(MultiScaleNetwork.convNetLayers(config, initializer: initializer, streams: streams)
                          + [deepDropout])

        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        shallow = config.shallowParts.enumerated().map { i, part in
            Sequential([AvgPool2D(kernelSize: part.subsample)]
                + MultiScaleNetwork.stageLayers(part.stage, name: "shallow_\(letters[i]).conv",
                                                inChannels: config.layerInputChannels,
                                                initializer: initializer, streams: streams)
                + [Flatten()])
        }
        if config.shallowParts.isEmpty {
            embed = nil
        } else {
            embed = Linear(name: "embed", inFeatures: config.deepFeatures + config.shallowWidths.reduce(0, +),
                           outFeatures: config.embedding, initializer: initializer, streams: streams)
        }
        store = ParameterStore(deep.parameters + shallow.flatMap(\.parameters) + (embed?.parameters ?? []))
    }

    /// The orientation channels in front of the first layer of every part, when the config
    /// asks for them.
    static func orientationLayer(_ config: MultiScaleConfig) -> OrientationChannels? {
        config.orientationChannels > 0 ? OrientationChannels(bins: config.orientationChannels) : nil
    }

    /// The ConvNet part up to the fc layer's ReLU: every deep stage, flatten, `deep.fc`,
    /// ReLU. Shared with `ClassifierNetwork`, so the two have the same parameter names.
    static func convNetLayers(_ config: MultiScaleConfig, initializer: Initializer, streams: RandomStreams) -> [Layer] {
        var layers: [Layer] = []
        var channels = config.layerInputChannels
        for (i, stage) in config.deepStages.enumerated() {
            layers += stageLayers(stage, name: "deep.conv\(i + 1)", inChannels: channels,
                                  initializer: initializer, streams: streams)
            channels = stage.channels
        }
        return layers + [Flatten(),
                         Linear(name: "deep.fc", inFeatures: config.deepFlattened, outFeatures: config.deepFeatures,
                                initializer: initializer, streams: streams),
                         ReLU()]
    }

    static func stageLayers(_ stage: ConvStage, name: String, inChannels: Int,
                            initializer: Initializer, streams: RandomStreams) -> [Layer] {
        var layers: [Layer] = [
            Conv2D(name: name, inChannels: inChannels, outChannels: stage.channels, kernelSize: stage.kernel,
                   stride: stage.stride, padding: stage.padding, activation: .relu,
                   initializer: initializer, streams: streams),
        ]
        if stage.localResponseNorm { layers.append(LocalResponseNorm()) }
        if let pk = stage.poolKernel { layers.append(MaxPool2D(kernelSize: pk, stride: stage.poolStride ?? pk)) }
        return layers
    }

    /// The dropout layer's random stream (saved and restored with checkpoints).
    public var dropoutStream: RandomStream {
        get { deepDropout.stream }
        set { deepDropout.stream = newValue }
    }

    /// The ConvNet part's dropout mask for the next training passes, instead of drawn ones
    /// (`Dropout.givenMask`: `[N, deepFeatures]` of 0 or 1).
    public var givenDropoutMask: Tensor? {
        get { deepDropout.givenMask }
        set { deepDropout.givenMask = newValue }
    }

    /// Embeds a batch `[N, C, S, S]` into `[N, outputDimension]`: unit-norm rows, or with
    /// `normalised` false the same rows before their final L2 normalisation (the
    /// embedding's linear outputs; with no shallow parts the ConvNet part's features after
    /// dropout), which a regression head reads (`EmbeddingRegressor`).
    public func forward(_ x: Tensor, training: Bool, normalised: Bool = true) -> Tensor {
        precondition(x.shape.count == 4 && x.shape[1] == config.inputChannels
                     && x.shape[2] == config.inputSize && x.shape[3] == config.inputSize,
                     "network expects [N, \(config.inputChannels), \(config.inputSize), \(config.inputSize)], got \(x.shape)")
        let input = orientation?.forward(x, training: training) ?? x
        let deepFeatures = deep.forward(input, training: training)
        guard let embed else { return normalised ? deepNorm.forward(deepFeatures, training: training) : deepFeatures }
        let deepOut = deepNorm.forward(deepFeatures, training: training)
        let parts = shallow.map { $0.forward(input, training: training) }
        let shallowOut = shallowNorm.forward(shallowConcat.forward(parts), training: training)
        let joined = joinConcat.forward([deepOut, shallowOut])
        let embedded = embed.forward(joined, training: training)
        return normalised ? outputNorm.forward(embedded, training: training) : embedded
    }

    /// Back-propagates the gradient with respect to the output of the last `forward`
    /// (called with the same `normalised`), accumulating every parameter gradient in
    /// `store.gradients`.
    public func backward(_ outputGradient: Tensor, normalised: Bool = true) {
        guard let embed else {
            deep.backward(normalised ? deepNorm.backward(outputGradient)! : outputGradient)
            return
        }
        let dJoined = embed.backward(normalised ? outputNorm.backward(outputGradient)! : outputGradient)!
        let split = joinConcat.backward(dJoined)
        deep.backward(deepNorm.backward(split[0])!)
        let dParts = shallowConcat.backward(shallowNorm.backward(split[1])!)
        for (part, gradient) in zip(shallow, dParts) { part.backward(gradient) }
    }
}
