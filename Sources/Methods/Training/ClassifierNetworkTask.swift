import DatasetKit
import NeuralNet
import RunFile
import TensorKit

/// A `TrainingTask` that trains a `ClassifierNetwork` on batches of training images drawn
/// from the stream `batches` (`ClassifierTraining`, `HOGRegressionTraining`): what such a
/// step shares, whatever its head learns. Supplies the parameters, the backward pass and
/// the random state a checkpoint saves (the `batches` and dropout streams).
protocol ClassifierNetworkTask: TrainingTask {
    var model: ClassifierNetwork { get }
    var batchSize: Int { get }
    var batches: RandomStream { get set }
}

extension ClassifierNetworkTask {
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
