import DatasetKit
import NeuralNet
import TensorKit

/// The network input a training loop fills every step, `[images, C, S, S]` (channels and
/// size from the network's `MultiScaleConfig`), and the assembler that fills it. Slot k of
/// step s is augmented (random shifts, as the paper's input augmentation) from the stream
/// `augment/<s>/<k>` of the method's family, child `augment`; training images are decoded
/// once and cached.
struct TrainingBatch {
    let tensor: Tensor
    let assembler: BatchAssembler

    init(images: Int, network: MultiScaleConfig, context: MethodContext) {
        assembler = BatchAssembler(dataset: context.dataset, augmentation: context.augmentation,
                                   streams: context.streams.child("augment"), cacheImages: true)
        tensor = Tensor(zeros: [images, network.inputChannels, network.inputSize, network.inputSize])
    }

    /// Fills slot k with dataset image `indices[k]`, augmented for step `step`.
    func fill(_ indices: [Int], step: Int) throws {
        try assembler.fill(tensor, indices: indices, step: step)
    }
}
