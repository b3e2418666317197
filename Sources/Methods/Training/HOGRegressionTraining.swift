import DatasetKit
import Features
import NeuralNet
import RunFile
import TensorKit

/// The step of HOG-target pre-training (`pretrain.target: hog`) for `TrainingLoop`: the
/// ConvNet part with a linear head (`ClassifierNetwork`), or with `pretrain.scope: network`
/// the whole ranking network with a linear head on its embedding (`EmbeddingRegressor`),
/// regresses each training image's HOG descriptor, as masked-feature prediction pre-trains
/// on HOG targets (Wei et al., "Masked Feature Prediction for Self-Supervised Visual
/// Pre-Training", CVPR 2022; here without masking). It needs no labels, and teaches the
/// network the outline cues the HOG row reads.
///
/// The targets are `HOGTargets.matrix(_:)`. Batches are drawn as `ClassifierTraining` draws
/// them (uniformly with replacement, stream `batches`; shifted by the augmentation), and the
/// loss is `SquaredError` on the head's outputs `[batchSize, dimension]`. The rest of the
/// step is `PretrainingNetworkTask`'s.
struct HOGRegressionTraining<Network: PretrainingNetwork>: PretrainingNetworkTask {
    let model: Network
    /// The training split's dataset indices.
    let images: [Int]
    let batchSize: Int
    let batch: TrainingBatch
    /// The centred and scaled descriptor of `images[i]`, row `i` (`HOGTargets.matrix(_:)`).
    let targets: FeatureMatrix
    let loss = SquaredError()
    var batches: RandomStream
    /// The rows of `targets` in the current batch.
    private(set) var drawn: [Int] = []

    init(model: Network, targets: FeatureMatrix, batchSize: Int, context: MethodContext) {
        precondition(targets.rows == context.split.train.count && targets.dimension == model.outputs,
                     "one target row per training image, as wide as the head")
        self.model = model; self.targets = targets; self.batchSize = batchSize
        images = context.split.train
        batches = context.streams.stream(.batches)
        batch = TrainingBatch(images: batchSize, network: model.config, context: context)
    }

    static var lossName: String { "squared-error" }

    mutating func drawBatch(step: Int) throws {
        drawn = (0..<batchSize).map { _ in batches.nextInt(below: images.count) }
        try batch.fill(drawn.map { images[$0] }, step: step)
    }

    /// The targets of the drawn batch, `[batchSize, dimension]` row-major: slot k's is its
    /// image's row.
    var batchTargets: [Float] {
        drawn.flatMap { targets.values[($0 * targets.dimension)..<(($0 + 1) * targets.dimension)] }
    }

    func forward() -> StepLoss {
        let (value, gradient) = loss(outputs: model.forward(batch.tensor, training: true), targets: batchTargets)
        return StepLoss(value: value, gradient: gradient)
    }
}
