import DatasetKit

/// A hand-crafted image feature (the paper's Table 1; each, with its distance, is one
/// method of the comparison): turns a `PlanarImage` (`[C, H, W]`, values in [0, 1]) into a
/// fixed-length vector that a `FeatureDistance` compares.
///
/// Extraction is a pure function of the image and the extractor's parameters: no random
/// draws, no dependence on threads (each image is processed by one thread, in a fixed
/// order), so feature matrices are bit-identical whatever the thread count.
public protocol FeatureExtractor: Sendable {
    /// The feature's name as written in specs and reports, e.g. `hog`, `lbp`.
    var name: String { get }
    /// Length of the vector for an image of this size; throws when the image is too small.
    func dimension(height: Int, width: Int) throws(FeatureError) -> Int
    /// Writes the feature of `image` into `output` (exactly `dimension` values), using
    /// `workspace` for scratch memory.
    func extract(_ image: PlanarImage, into output: UnsafeMutableBufferPointer<Float>,
                 workspace: FeatureWorkspace) throws(FeatureError)
}

extension FeatureExtractor {
    /// The feature of one image as a new array (allocates; see `FeatureMatrix` for many).
    public func features(of image: PlanarImage) throws(FeatureError) -> [Float] {
        let count = try dimension(height: image.height, width: image.width)
        var output = [Float](repeating: 0, count: count)
        let workspace = FeatureWorkspace()
        var failure: FeatureError?
        output.withUnsafeMutableBufferPointer { buffer in
            do throws(FeatureError) { try extract(image, into: buffer, workspace: workspace) } catch { failure = error }
        }
        if let failure { throw failure }
        return output
    }

    /// Throws unless `output` has exactly the dimension for `image`.
    func checkOutput(_ output: UnsafeMutableBufferPointer<Float>, for image: PlanarImage) throws(FeatureError) {
        let expected = try dimension(height: image.height, width: image.width)
        guard output.count == expected else {
            throw .dimensionMismatch(what: "\(name) output buffer", expected: expected, actual: output.count)
        }
    }
}
