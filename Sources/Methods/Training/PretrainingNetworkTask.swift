import DatasetKit
import NeuralNet
import RunFile
import TensorKit

/// A network with a head that a step of `PretrainingNetworkTask` trains: the classifier
/// (`ClassifierNetwork`, the ConvNet part and a softmax head) or a whole ranking network
/// with a regression head (`EmbeddingRegressor`).
protocol PretrainingNetwork: AnyObject {
    var config: MultiScaleConfig { get }
    var store: ParameterStore { get }
    /// The head's width.
    var outputs: Int { get }
    var dropoutStream: RandomStream { get set }
    func forward(_ x: Tensor, training: Bool) -> Tensor
    func backward(_ outputGradient: Tensor)
}

extension ClassifierNetwork: PretrainingNetwork {
    var outputs: Int { classes }
}

extension EmbeddingRegressor: PretrainingNetwork {}

/// A `TrainingTask` that trains a `PretrainingNetwork` on batches of training images drawn
/// from the stream `batches` (`ClassifierTraining`, `HOGRegressionTraining`): what such a
/// step shares, whatever its head learns. Supplies the parameters, the backward pass and
/// the random state a checkpoint saves (the `batches` and dropout streams).
protocol PretrainingNetworkTask: TrainingTask {
    associatedtype Network: PretrainingNetwork
    var model: Network { get }
    var batchSize: Int { get }
    var batches: RandomStream { get set }
}

extension PretrainingNetworkTask {
    var store: ParameterStore { model.store }
    var imagesPerStep: Int { batchSize }
    static var extraSeries: [HistorySeries] { [] }

    func backward(_ gradient: Tensor) { model.backward(gradient) }

    var streams: [StreamName: RandomStream] { [.batches: batches, .dropout: model.dropoutStream] }
    var samplerState: TripletSamplerState? { nil }

    mutating func restore(from state: TrainingState) throws {
        model.dropoutStream = try state.stream(.dropout)
        batches = try state.stream(.batches)
    }
}
