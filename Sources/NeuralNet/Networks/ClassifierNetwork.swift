import TensorKit

/// The paper's "ConvNet" baseline (its Table 2) and pre-training network (the paper
/// pre-trains its ConvNet part as an ImageNet classifier before training with triplets):
/// the ConvNet part of the multi-scale network (`config.deepStages`, flatten,
/// `deep.fc`, ReLU, dropout) followed by a linear classifier over the categories, trained
/// with softmax cross-entropy.
///
/// Input `[N, C, S, S]`; `forward` returns logits `[N, classes]`; `penultimate` holds the
/// `[N, deepFeatures]` features after the fc layer's ReLU (before dropout at inference, where
/// dropout is the identity). Parameter names match `MultiScaleNetwork`'s deep part
/// (`deep.conv<i>.*`, `deep.fc.*`) plus `classifier.*`, so a trained classifier can
/// initialise a ranking network's ConvNet part by name (`copyParameters(to:)`).
public final class ClassifierNetwork {
    public let config: MultiScaleConfig
    public let classes: Int
    public let features: Sequential
    public let classifier: Linear
    public let store: ParameterStore
    private let dropout: Dropout
    private var lastFeatures: Tensor?

    public init(config: MultiScaleConfig, classes: Int, streams: RandomStreams,
                initializer: Initializer = .pytorchDefault) {
        precondition(classes >= 2, "a classifier needs at least two classes")
        self.config = config
        self.classes = classes
        dropout = Dropout(keep: config.dropoutKeep, stream: streams.stream(MultiScaleConfig.dropoutStream))
        let orientation: [Layer] = MultiScaleNetwork.orientationLayer(config).map { [$0] } ?? []
        features = Sequential(orientation + MultiScaleNetwork.convNetLayers(config, initializer: initializer, streams: streams))
        classifier = Linear(name: "classifier", inFeatures: config.deepFeatures, outFeatures: classes,
                            initializer: initializer, streams: streams)
        store = ParameterStore(features.parameters + classifier.parameters)
    }

    /// The dropout layer's random stream (saved and restored with checkpoints).
    public var dropoutStream: RandomStream {
        get { dropout.stream }
        set { dropout.stream = newValue }
    }

    /// Logits `[N, classes]` for a batch `[N, C, S, S]`.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let h = features.forward(x, training: training)
        lastFeatures = h
        return classifier.forward(dropout.forward(h, training: training), training: training)
    }

    /// The `[N, deepFeatures]` features of the last `forward` (after ReLU, before dropout).
    public var penultimate: Tensor {
        guard let lastFeatures else { preconditionFailure("penultimate before forward") }
        return lastFeatures
    }

    /// Back-propagates the gradient with respect to the logits.
    public func backward(_ logitsGradient: Tensor) {
        let dh = dropout.backward(classifier.backward(logitsGradient)!)!
        features.backward(dh)
    }

    /// Copies every parameter whose name also exists in `store` (the ConvNet part's
    /// `deep.*`), as the paper pre-trains its ConvNet as a classifier before fine-tuning
    /// with triplets. Returns the names copied.
    @discardableResult
    public func copyParameters(to other: ParameterStore) -> [String] {
        store.copyValues(to: other)
    }
}
