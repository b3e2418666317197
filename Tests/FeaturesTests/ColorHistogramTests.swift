import DatasetKit
import Features
import XCTest

final class ColorHistogramTests: XCTestCase {
    /// A 2x2 RGB image with known colours: each pixel lands in the bin computed by hand.
    func testKnownPixelsLandInTheirBins() throws {
        // Pixels (R, G, B): red (1, 0, 0), green (0, 1, 0), gray (0.5, 0.5, 0.5), red again.
        let r: [Float] = [1, 0, 0.5, 1], g: [Float] = [0, 1, 0.5, 0], b: [Float] = [0, 0, 0.5, 0]
        let image = PlanarImage(channels: 3, height: 2, width: 2, pixels: r + g + b)
        let histogram = try ColorHistogram(space: .rgb, bins: [4, 4, 4]).features(of: image)
        XCTAssertEqual(histogram.count, 64)
        XCTAssertEqual(histogram.reduce(0, +), 1)
        // bin = (iR * 4 + iG) * 4 + iB, i = min(floor(4 v), 3): 1 -> 3, 0.5 -> 2.
        XCTAssertEqual(histogram[(3 * 4 + 0) * 4 + 0], 0.5)   // red, twice
        XCTAssertEqual(histogram[(0 * 4 + 3) * 4 + 0], 0.25)  // green
        XCTAssertEqual(histogram[(2 * 4 + 2) * 4 + 2], 0.25)  // gray
        XCTAssertEqual(histogram.filter { $0 > 0 }.count, 3)
    }

    func testHSVBinsAndGrayInput() throws {
        // Pure red: H = 0, S = 1, V = 1; pure blue: H = 2/3; gray: H = 0, S = 0.
        let r: [Float] = [1, 0, 0.25], g: [Float] = [0, 0, 0.25], b: [Float] = [0, 1, 0.25]
        let image = PlanarImage(channels: 3, height: 1, width: 3, pixels: r + g + b)
        let hsv = try ColorHistogram(space: .hsv, bins: [6, 2, 2])
        let histogram = try hsv.features(of: image)
        XCTAssertEqual(histogram.count, 24)
        XCTAssertEqual(histogram[(0 * 2 + 1) * 2 + 1], 1.0 / 3, accuracy: 1e-7)  // red
        XCTAssertEqual(histogram[(4 * 2 + 1) * 2 + 1], 1.0 / 3, accuracy: 1e-7)  // blue: floor(6 * 2/3) = 4
        XCTAssertEqual(histogram[(0 * 2 + 0) * 2 + 0], 1.0 / 3, accuracy: 1e-7)  // gray, V = 0.25
        // A one-channel image is gray: all mass on the diagonal of the RGB cube.
        let gray = PlanarImage(channels: 1, height: 1, width: 2, pixels: [0.1, 0.9])
        let rgb = try ColorHistogram(bins: [2, 2, 2]).features(of: gray)
        XCTAssertEqual(rgb, [0.5, 0, 0, 0, 0, 0, 0, 0.5])
    }

    func testInvalidBinsAndChannels() {
        XCTAssertThrowsError(try ColorHistogram(bins: [8, 8]))
        XCTAssertThrowsError(try ColorHistogram(bins: [8, 0, 8]))
        let twoChannels = PlanarImage(channels: 2, height: 2, width: 2)
        XCTAssertThrowsError(try ColorHistogram().features(of: twoChannels)) { error in
            guard case FeatureError.unsupportedChannels(_, let channels, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(channels, 2)
        }
    }
}
