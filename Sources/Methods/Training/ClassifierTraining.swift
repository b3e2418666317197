import DatasetKit
import NeuralNet
import RunFile
import TensorKit

/// The classifier's step for `TrainingLoop`: `batchSize` training images drawn uniformly
/// with replacement (stream `batches`), their category labels, softmax cross-entropy on
/// the logits `[batchSize, classes]`. The rest of the step is `PretrainingNetworkTask`'s.
struct ClassifierTraining: PretrainingNetworkTask {
    let model: ClassifierNetwork
    let dataset: any ImageDataset
    /// The training split's dataset indices.
    let images: [Int]
    let batchSize: Int
    let batch: TrainingBatch
    let loss = SoftmaxCrossEntropy()
    var batches: RandomStream
    /// The dataset indices of the current batch.
    private(set) var drawn: [Int] = []

    init(model: ClassifierNetwork, batchSize: Int, context: MethodContext) {
        self.model = model; self.batchSize = batchSize
        dataset = context.dataset
        images = context.split.train
        batches = context.streams.stream(.batches)
        batch = TrainingBatch(images: batchSize, network: model.config, context: context)
    }

    static let lossName = "cross-entropy"

    mutating func drawBatch(step: Int) throws {
        drawn = (0..<batchSize).map { _ in images[batches.nextInt(below: images.count)] }
        try batch.fill(drawn, step: step)
    }

    func forward() -> StepLoss {
        let (value, gradient) = loss(logits: model.forward(batch.tensor, training: true),
                                     labels: drawn.map { dataset.category(of: $0) })
        return StepLoss(value: value, gradient: gradient)
    }
}
