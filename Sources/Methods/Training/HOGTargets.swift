import Features

/// What HOG-target pre-training regresses (`pretrain.target: hog`, `HOGRegressionTraining`):
/// the HOG row's own descriptors (`HOG()` on each image as the pipeline prepares it,
/// unshifted), centred per dimension over the training images and divided by one scale for
/// every dimension, so that their L2 distances are HOG's up to a constant (the HOG row
/// ranks by them) and the loss starts near the descriptor's dimension (324 for 32-pixel
/// images) whatever the descriptor's scale. (Scaling each dimension to unit variance
/// instead weights rare bins up, and diverged at rates where this does not.)
enum HOGTargets {
    /// The HOG descriptors of the training split, centred per dimension and divided by
    /// one scale for all (the root mean square of the centred values), row i for
    /// `context.split.train[i]`; their dimension is the head's width.
    static func matrix(_ context: MethodContext) throws -> FeatureMatrix {
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
}
