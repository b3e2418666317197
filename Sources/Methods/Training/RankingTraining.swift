import DatasetKit
import NeuralNet
import RunFile
import TensorKit

/// Deep ranking's step for `TrainingLoop`: `batchSize` triplets from the sampler, laid out
/// as all queries, then all positives, then all negatives (`[3 * batchSize, C, S, S]`), the
/// triplet hinge loss on their embeddings (the paper's ranking loss, "Relevance and loss").
/// Records `active_fraction`, the fraction of triplets with a positive hinge. Saves the
/// dropout stream and the sampler's state.
struct RankingTraining: TrainingTask {
    let model: MultiScaleNetwork
    var sampler: any TripletSampler
    let batchSize: Int
    let batch: TrainingBatch
    let loss: TripletHingeLoss

    init(model: MultiScaleNetwork, sampler: any TripletSampler, batchSize: Int, margin: Float, context: MethodContext) {
        self.model = model; self.sampler = sampler; self.batchSize = batchSize
        batch = TrainingBatch(images: 3 * batchSize, network: model.config, context: context)
        loss = TripletHingeLoss(margin: margin)
    }

    var store: ParameterStore { model.store }
    var imagesPerStep: Int { 3 * batchSize }
    static let lossName = "loss"
    static let extraSeries: [HistorySeries] = [.activeFraction]

    mutating func drawBatch(step: Int) throws {
        let drawn = try sampler.batch(batchSize)
        try batch.fill(drawn.map(\.query) + drawn.map(\.positive) + drawn.map(\.negative), step: step)
    }

    func forward() -> StepLoss {
        let (value, gradient) = loss(embeddings: model.forward(batch.tensor, training: true))
        return StepLoss(value: value, gradient: gradient, extras: [Float(loss.activeCount) / Float(batchSize)])
    }

    func backward(_ gradient: Tensor) { model.backward(gradient) }

    var streams: [StreamName: RandomStream] { [.dropout: model.dropoutStream] }
    var samplerState: TripletSamplerState? { sampler.state }

    mutating func restore(from state: TrainingState) throws {
        model.dropoutStream = try state.stream(.dropout)
        guard let samplerState = state.sampler else {
            throw MethodError.badCheckpoint(method: state.loop, reason: "no sampler state")
        }
        try sampler.restore(samplerState)
    }
}
