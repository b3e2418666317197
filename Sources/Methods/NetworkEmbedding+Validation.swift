import DatasetKit
import Evaluation
import TensorKit

extension NetworkEmbedding {
    /// The similarity precision, on `validation`'s triplets, of the squared L2 distance
    /// between the vectors `vectors` makes for a batch (as `rows`): how `keep_best` scores a
    /// network during training.
    static func validationPrecision(_ validation: ValidationTriplets, context: MethodContext, inputSize: Int,
                                    channels: Int, vectors: (Tensor, Int) -> Tensor) throws -> Double {
        let (dimension, values) = try rows(for: validation.images, context: context, inputSize: inputSize,
                                           channels: channels, forward: vectors)
        let ranker = Ranker(indices: validation.images, dimension: dimension, vectors: values,
                            comparison: .distance(.squaredL2))
        return SimilarityPrecision.precision(ranker, triplets: validation.triplets)
    }
}
