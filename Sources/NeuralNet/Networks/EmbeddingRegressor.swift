import TensorKit

/// A ranking network with a linear head on its embedding, for pre-training the whole
/// network (every part: the ConvNet part, the shallow parts and the embedding) to regress a
/// target vector per image before it learns to rank (`pretrain.scope: network`).
/// `ClassifierNetwork` pre-trains the ConvNet part alone; here the head reads the ranking
/// network's output before its final L2 normalisation
/// (`MultiScaleNetwork.forward(_:training:normalised:)`),
/// so what the triplet loss and the evaluation compare is these features' directions. (A
/// head on the unit-norm rows learns far less at the same rate, since the unit norm caps
/// what it reads: for the single-scale network on the icons, a loss of 243 after 1,000
/// steps against 144. The multi-scale network normalises its ConvNet and shallow outputs
/// before the embedding, for the same reason it needs a higher rate: README, "Pre-training
/// the whole multi-scale network".)
///
/// Input `[N, C, S, S]`; `forward` returns `[N, outputs]`. Parameter names are the ranking
/// network's (`MultiScaleNetwork`) plus `regression.*`, so `store.copyValues(to:)` sets a
/// ranking network of the same config from it by name. `store` repacks the network's
/// parameters into its own buffers: train and copy through it, not through `network.store`.
public final class EmbeddingRegressor {
    public let network: MultiScaleNetwork
    public let head: Linear
    public let outputs: Int
    public let store: ParameterStore

    /// The ranking network draws its initial values as `MultiScaleNetwork` does from
    /// `streams`; the head draws `init/regression.*`.
    public init(config: MultiScaleConfig, outputs: Int, streams: RandomStreams,
                initializer: Initializer = .pytorchDefault) {
        precondition(outputs >= 1, "a regression head needs at least one output")
        network = MultiScaleNetwork(config: config, streams: streams, initializer: initializer)
        head = Linear(name: "regression", inFeatures: config.outputDimension, outFeatures: outputs,
                      initializer: initializer, streams: streams)
        self.outputs = outputs
        store = ParameterStore(network.store.parameters + head.parameters)
    }

    public var config: MultiScaleConfig { network.config }

    /// The ConvNet part's dropout stream (saved and restored with checkpoints).
    public var dropoutStream: RandomStream {
        get { network.dropoutStream }
        set { network.dropoutStream = newValue }
    }

    /// The head's outputs `[N, outputs]` for a batch `[N, C, S, S]`.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        head.forward(network.forward(x, training: training, normalised: false), training: training)
    }

    /// Back-propagates the gradient with respect to the head's outputs.
    public func backward(_ outputGradient: Tensor) {
        network.backward(head.backward(outputGradient)!, normalised: false)
    }
}
