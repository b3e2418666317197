import DatasetKit
import Features
import TensorKit
import XCTest

/// Feature matrices are bit-identical for every thread count (README, "Determinism").
final class DeterminismTests: XCTestCase {
    func testFeatureMatricesDoNotDependOnTheThreadCount() throws {
        let images = FeatureBenchmark.images(count: 7, height: 24, width: 32, seed: 3)
        let rgb = images.map { PlanarImage(channels: 3, height: 24, width: 32, pixels: $0.pixels + $0.pixels.reversed() + $0.pixels) }
        let extractors: [any FeatureExtractor] = [
            try HOG(), try HOG(channelMode: .dominantChannel), try LocalBinaryPattern(),
            try ColorHistogram(space: .hsv, bins: [8, 3, 3]), try HaarWavelet(levels: 2, grid: 2),
        ]
        let previous = Parallel.threads
        defer { Parallel.configure(threads: previous) }
        for extractor in extractors {
            var matrices: [FeatureMatrix] = []
            for threads in [1, 3] {
                Parallel.configure(threads: threads)
                matrices.append(try FeatureMatrix(extracting: extractor, from: rgb))
            }
            XCTAssertEqual(matrices[0].values.map(\.bitPattern), matrices[1].values.map(\.bitPattern), extractor.name)
            XCTAssertEqual(matrices[0].rows, 7)
            XCTAssertEqual(matrices[0].row(4), try extractor.features(of: rgb[4]), extractor.name)
        }
    }

    func testMixedImageSizesAreATypedError() throws {
        let images = [PlanarImage(channels: 1, height: 16, width: 16), PlanarImage(channels: 1, height: 16, width: 17)]
        XCTAssertThrowsError(try FeatureMatrix(extracting: try HOG(), from: images)) { error in
            XCTAssertEqual(error as? FeatureError,
                           .imageSizeMismatch(index: 1, height: 16, width: 17, expectedHeight: 16, expectedWidth: 16))
        }
    }
}
