import DatasetKit
import TensorKit

/// Feature vectors of many images: `[rows, dimension]`, row-major Float32. Row `i` belongs
/// to image `i` of whatever list the matrix was built from (for a dataset, its index), and
/// `Triplet`s given to `GoldenFeatures` and `OASIS` index rows.
public struct FeatureMatrix: Equatable, Sendable {
    public let rows: Int
    public let dimension: Int
    /// `rows * dimension` values, row after row.
    public var values: [Float]

    public init(rows: Int, dimension: Int, values: [Float]) throws(FeatureError) {
        guard rows >= 0 && dimension >= 1 else {
            throw .invalidParameter(name: "feature matrix shape", value: "\(rows) x \(dimension)",
                                    allowed: "rows >= 0, dimension >= 1")
        }
        guard values.count == rows * dimension else {
            throw .dimensionMismatch(what: "feature matrix values (\(rows) rows)", expected: rows * dimension,
                                     actual: values.count)
        }
        self.rows = rows; self.dimension = dimension; self.values = values
    }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Float] { Array(values[(i * dimension)..<((i + 1) * dimension)]) }

    /// Extracts `extractor` from every image, in parallel over images (`Parallel.forEach`,
    /// one workspace per worker). All images must have the same size. Each row is
    /// computed by one thread in a fixed order, so the matrix is bit-identical for every
    /// thread count.
    public init(extracting extractor: any FeatureExtractor, from images: [PlanarImage]) throws(FeatureError) {
        try self.init(extracting: extractor, count: images.count) { i in images[i] }
    }

    /// Extracts `extractor` from images `0..<count` that `image(i)` provides (called once
    /// per image, possibly from several threads).
    public init(extracting extractor: any FeatureExtractor, count: Int,
                image: (Int) throws -> PlanarImage) throws(FeatureError) {
        guard count >= 1 else {
            throw .invalidParameter(name: "image count", value: "\(count)", allowed: "at least one image")
        }
        let first: PlanarImage
        do { first = try image(0) } catch { throw FeatureError.imageUnavailable(index: 0, reason: "\(error)") }
        let dimension = try extractor.dimension(height: first.height, width: first.width)
        var values = [Float](repeating: 0, count: count * dimension)
        let workers = min(Parallel.threads, count)
        let workspaces = (0..<workers).map { _ in FeatureWorkspace() }
        var failures = [String?](repeating: nil, count: count)
        var typedFailures = [FeatureError?](repeating: nil, count: count)
        values.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            failures.withUnsafeMutableBufferPointer { failed in
                typedFailures.withUnsafeMutableBufferPointer { typed in
                    Parallel.forEach(count) { i, worker in
                        let row = UnsafeMutableBufferPointer(start: base + i * dimension, count: dimension)
                        do {
                            let picture = i == 0 ? first : try image(i)
                            guard picture.height == first.height && picture.width == first.width else {
                                throw FeatureError.imageSizeMismatch(
                                    index: i, height: picture.height, width: picture.width,
                                    expectedHeight: first.height, expectedWidth: first.width)
                            }
                            try extractor.extract(picture, into: row, workspace: workspaces[worker])
                        } catch let error as FeatureError {
                            typed[i] = error
                        } catch {
                            failed[i] = "\(error)"
                        }
                    }
                }
            }
        }
        // Report the first failing image in index order, whatever thread met it first.
        for i in 0..<count {
            if let error = typedFailures[i] { throw error }
            if let message = failures[i] { throw FeatureError.imageUnavailable(index: i, reason: message) }
        }
        self.rows = count; self.dimension = dimension; self.values = values
    }
}
