import DatasetKit
import TensorKit

/// Runs images through a network at inference in batches and collects one output row per
/// image: the embedding step shared by the network methods.
enum NetworkEmbedding {
    /// Images per inference batch.
    static let batchSize = 96

    /// `forward` maps a batch `[n, C, S, S]` to `[n, D]`; returns `indices.count * D` values.
    static func rows(for indices: [Int], context: MethodContext, inputSize: Int, channels: Int,
                     forward: (Tensor) -> Tensor) throws -> (dimension: Int, values: [Float]) {
        let assembler = BatchAssembler(dataset: context.dataset, augmentation: context.augmentation,
                                       streams: context.streams.child("evaluation"))
        var values: [Float] = []
        var dimension = 0
        var start = 0
        let batch = Tensor(zeros: [batchSize, channels, inputSize, inputSize])
        while start < indices.count {
            let chunk = Array(indices[start..<min(indices.count, start + batchSize)])
            batch.reshape([chunk.count, channels, inputSize, inputSize])
            try assembler.fillForEvaluation(batch, indices: chunk)
            let out = forward(batch)
            dimension = out.count / chunk.count
            if values.isEmpty { values.reserveCapacity(indices.count * dimension) }
            values.append(contentsOf: UnsafeBufferPointer(start: out.pointer, count: out.count))
            start += chunk.count
        }
        return (dimension, values)
    }
}
