import DatasetKit
import Features
import Storage
import XCTest

/// Uniform LBP (P = 8, R = 1) against scikit-image's
/// `local_binary_pattern(image, 8, 1, method="uniform")` and the histogram
/// `np.bincount(codes, minlength=10) / codes.size` (fixture: see `FeatureFixture`).
final class LBPParityTests: XCTestCase {
    func testCodesAndHistogramsMatchScikitImage() throws {
        let file = try FeatureFixture.open()
        let names = try file.root.group("lbp").childNames()
        XCTAssertGreaterThanOrEqual(names.count, 5)
        let lbp = try LocalBinaryPattern(points: 8, radius: 1)
        var mismatches = 0, worst: Float = 0
        for name in names {
            let image = try FeatureFixture.image(name, in: file)
            let expectedCodes = try file.root.read(UInt8.self, from: "lbp/\(name)/codes").values
            let expectedHistogram = try file.root.read(Float.self, from: "lbp/\(name)/histogram").values
            let codes = try lbp.codes(of: image)
            XCTAssertEqual(codes.count, expectedCodes.count, name)
            let differing = zip(codes, expectedCodes).filter { $0 != Float($1) }.count
            XCTAssertEqual(differing, 0, "\(name): \(differing) codes differ")
            mismatches += differing
            let histogram = try lbp.features(of: image)
            let diff = zip(histogram, expectedHistogram).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(diff, 1e-6, "\(name): histogram max |diff| \(diff)")
            XCTAssertEqual(histogram.reduce(0, +), 1, accuracy: 1e-5)
            worst = max(worst, diff)
        }
        print("LBP parity with scikit-image over \(names.count) images: \(mismatches) codes differ, "
              + "histogram max |diff| = \(worst)")
    }

    func testConstantImageIsAllOnesCode() throws {
        // Every interior sample equals the centre (bit 1 everywhere, code P); border pixels
        // see zeros outside the image.
        let image = PlanarImage(channels: 1, height: 6, width: 7, value: 0.5)
        let codes = try LocalBinaryPattern().codes(of: image)
        for y in 1..<5 { for x in 1..<6 { XCTAssertEqual(codes[y * 7 + x], 8) } }
        XCTAssertThrowsError(try LocalBinaryPattern(points: 0))
    }
}
