import DatasetKit
import Features

/// Hand-crafted features of dataset images, on the images as the pipeline prepares them
/// (resized to the input size; no shift, no normalisation: the features expect [0, 1]).
enum FeatureRows {
    static func matrix(_ extractor: any FeatureExtractor, indices: [Int], context: MethodContext) throws -> FeatureMatrix {
        try FeatureMatrix(extracting: extractor, count: indices.count) { i in
            try context.augmentation.prepare(context.dataset.image(at: indices[i]))
        }
    }
}
