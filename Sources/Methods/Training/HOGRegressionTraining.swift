import DatasetKit
import Features
import NeuralNet
import RunFile
import TensorKit

/// The step of HOG-target pre-training (`pretrain.target: hog`) for `TrainingLoop`: the
/// ConvNet part with a linear head regresses each training image's HOG descriptor, as
/// masked-feature prediction pre-trains on HOG targets (Wei et al., "Masked Feature
/// Prediction for Self-Supervised Visual Pre-Training", CVPR 2022; here without masking).
/// It needs no labels, and teaches the ConvNet part the outline cues the HOG row reads.
///
/// The targets are the HOG row's own descriptors (`HOG()` on the image as the pipeline
/// prepares it, unshifted), centred per dimension over the training images and divided by
/// one scale for every dimension, so that their L2 distances are HOG's up to a constant
/// (the HOG row ranks by them) and the loss starts near the descriptor's dimension (324 for
/// 32-pixel images) whatever the descriptor's scale. (Scaling each dimension to unit
/// variance instead weights rare bins up, and diverged at rates where this does not.) Batches are drawn as `ClassifierTraining` draws them
/// (uniformly with replacement, stream `batches`; shifted by the augmentation), and the
/// loss is `SquaredError` on the head's outputs `[batchSize, dimension]`. The rest of the
/// step is `ClassifierNetworkTask`'s.
struct HOGRegressionTraining: ClassifierNetworkTask {
    let model: ClassifierNetwork
    /// The training split's dataset indices.
    let images: [Int]
    let batchSize: Int
    let batch: TrainingBatch
    /// The centred and scaled descriptor of `images[i]`, row `i` (`targets(_:)`).
    let targets: FeatureMatrix
    let loss = SquaredError()
    var batches: RandomStream
    /// The rows of `targets` in the current batch.
    private(set) var drawn: [Int] = []

    /// The HOG descriptors of the training split, centred per dimension and divided by
    /// one scale for all (the root mean square of the centred values), row i for
    /// `context.split.train[i]`; their dimension is the head's width.
    static func targets(_ context: MethodContext) throws -> FeatureMatrix {
        var matrix = try FeatureRows.matrix(try HOG(), indices: context.split.train, context: context)
        let rows = matrix.rows, dimension = matrix.dimension
        var squares = 0.0
        for j in 0..<dimension {
            var sum = 0.0
            for i in 0..<rows { sum += Double(matrix.values[i * dimension + j]) }
            let mean = sum / Double(rows)
            for i in 0..<rows {
                let centred = Double(matrix.values[i * dimension + j]) - mean
                matrix.values[i * dimension + j] = Float(centred)
                squares += centred * centred
            }
        }
        let rms = (squares / Double(rows * dimension)).squareRoot()
        let scale = rms > 1e-12 ? Float(1 / rms) : 1
        for k in matrix.values.indices { matrix.values[k] *= scale }
        return matrix
    }

    init(model: ClassifierNetwork, targets: FeatureMatrix, batchSize: Int, context: MethodContext) {
        precondition(targets.rows == context.split.train.count && targets.dimension == model.classes,
                     "one target row per training image, as wide as the head")
        self.model = model; self.targets = targets; self.batchSize = batchSize
        images = context.split.train
        batches = context.streams.stream(.batches)
        batch = TrainingBatch(images: batchSize, network: model.config, context: context)
    }

    static let lossName = "squared-error"

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
