import DatasetKit
import TensorKit

/// Runs images through a network at inference in batches and collects one output row per
/// image: the embedding step shared by the network methods.
///
/// Every batch is full: a short last batch is padded by repeating its last image and the
/// padding's rows are dropped. An image's vector then never depends on how many images it
/// was embedded with (BLAS treats a partial row block of `Linear` differently in the last
/// bits), so `deeprank embed` of one image gives the bits of the run's evaluation.
enum NetworkEmbedding {
    /// Images per inference batch.
    static let batchSize = 96

    /// `forward` maps a batch `[batchSize, C, S, S]` to `[batchSize, D]`; its second argument
    /// is how many leading images are real (the rest is padding). Returns `indices.count * D` values.
    static func rows(for indices: [Int], context: MethodContext, inputSize: Int, channels: Int,
                     forward: (Tensor, Int) -> Tensor) throws -> (dimension: Int, values: [Float]) {
        let assembler = BatchAssembler(dataset: context.dataset, augmentation: context.augmentation,
                                       streams: context.streams.child("evaluation"))
        var values: [Float] = []
        var dimension = 0
        var start = 0
        let batch = Tensor(zeros: [batchSize, channels, inputSize, inputSize])
        while start < indices.count {
            let chunk = Array(indices[start..<min(indices.count, start + batchSize)])
            let padded = chunk + Array(repeating: chunk[chunk.count - 1], count: batchSize - chunk.count)
            try assembler.fillForEvaluation(batch, indices: padded)
            let out = forward(batch, chunk.count)
            dimension = out.count / batchSize
            if values.isEmpty { values.reserveCapacity(indices.count * dimension) }
            values.append(contentsOf: UnsafeBufferPointer(start: out.pointer, count: chunk.count * dimension))
            start += chunk.count
        }
        return (dimension, values)
    }
}
