import DatasetKit
import Features
import Foundation
import XCTest

final class FeatureBenchmarkTests: XCTestCase {
    /// The benchmark images round-trip through the `.npy` file Python reads, bit for bit,
    /// and are the same for the same seed.
    func testImagesRoundTripThroughNumpyFile() throws {
        let images = FeatureBenchmark.images(count: 3, height: 8, width: 5, seed: 1)
        XCTAssertEqual(images, FeatureBenchmark.images(count: 3, height: 8, width: 5, seed: 1))
        XCTAssertNotEqual(images, FeatureBenchmark.images(count: 3, height: 8, width: 5, seed: 2))
        XCTAssertTrue(images.allSatisfy { $0.pixels.min()! >= 0 && $0.pixels.max()! <= 1 })
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("features-bench-\(getpid()).npy").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FeatureBenchmark.writeImages(images, to: path)
        let (values, shape) = try NumpyArrayFile.read(from: path)
        XCTAssertEqual(shape, [3, 8, 5])
        XCTAssertEqual(values.map(\.bitPattern), images.flatMap(\.pixels).map(\.bitPattern))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(Array(bytes.prefix(8)), [0x93] + Array("NUMPY".utf8) + [1, 0])
        XCTAssertEqual((10 + Int(bytes[8]) + Int(bytes[9]) << 8) % 64, 0)
        XCTAssertThrowsError(try NumpyArrayFile.read(from: "/nonexistent/images.npy"))
    }

    func testRunReportsEveryFeature() throws {
        let images = FeatureBenchmark.images(count: 4, height: 32, width: 32)
        let result = try FeatureBenchmark.run(images: images, threads: 2, repeats: 1)
        XCTAssertEqual(result.images, 4)
        XCTAssertEqual(result.threads, 2)
        for rate in [result.hogImagesPerS, result.lbpImagesPerS, result.colorHistogramImagesPerS, result.waveletImagesPerS] {
            XCTAssertGreaterThan(rate, 0)
        }
        let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        XCTAssertTrue(json.contains("\"hog_images_per_s\""), json)
        XCTAssertTrue(json.contains("\"lbp_images_per_s\""), json)
    }
}
