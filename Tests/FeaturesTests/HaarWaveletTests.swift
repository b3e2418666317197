import DatasetKit
import Features
import XCTest

final class HaarWaveletTests: XCTestCase {
    /// One level on a 2x2 block [[a, b], [c, d]] = [[1, 2], [3, 5]], grid 1:
    /// A = 11/2, H = (1 + 2 - 3 - 5)/2 = -5/2, V = (1 - 2 + 3 - 5)/2 = -3/2, D = (1 - 2 - 3 + 5)/2 = 1/2.
    func testOneLevelOnAKnownBlock() throws {
        let image = PlanarImage(channels: 1, height: 2, width: 2, pixels: [1, 2, 3, 5])
        let haar = try HaarWavelet(levels: 1, grid: 1)
        let features = try haar.features(of: image)
        // (mean |c|, mean c^2) for H, V, D, then A.
        XCTAssertEqual(features, [2.5, 6.25, 1.5, 2.25, 0.5, 0.25, 5.5, 30.25])
    }

    /// Two levels, 2x2 grid, on an 8x8 image that is constant (value 1) except the top-left
    /// 4x4 quadrant (value 0): level-1 details vanish except none (edges fall between
    /// 2x2 blocks), level 2 likewise; approximations are 2 * mean and 4 * mean.
    func testPiecewiseConstantImageHasNoDetailEnergy() throws {
        var image = PlanarImage(channels: 1, height: 8, width: 8, value: 1)
        for y in 0..<4 { for x in 0..<4 { image[0, y, x] = 0 } }
        let haar = try HaarWavelet(levels: 2, grid: 2)
        XCTAssertEqual(try haar.dimension(height: 8, width: 8), (3 * 2 + 1) * 4 * 2)
        let features = try haar.features(of: image)
        XCTAssertTrue(features[0..<48].allSatisfy { $0 == 0 }, "\(features[0..<48])")
        // A_2 is 2x2: [[0, 4], [4, 4]]; regions are single coefficients: (|c|, c^2).
        XCTAssertEqual(Array(features[48...]), [0, 0, 4, 16, 4, 16, 4, 16])
    }

    /// RGB is converted with BT.601 (0.299, 0.587, 0.114): a pure green image has gray 0.587.
    func testGrayConversionAndTooSmallImage() throws {
        let green = PlanarImage(channels: 3, height: 2, width: 2,
                                pixels: [Float](repeating: 0, count: 4) + [Float](repeating: 1, count: 4)
                                    + [Float](repeating: 0, count: 4))
        let features = try HaarWavelet(levels: 1, grid: 1).features(of: green)
        XCTAssertEqual(features[6], 2 * 0.587, accuracy: 1e-6)  // mean A = (4 * 0.587) / 2
        XCTAssertThrowsError(try HaarWavelet(levels: 3, grid: 2).dimension(height: 15, width: 64)) { error in
            guard case FeatureError.imageTooSmall = error else { return XCTFail("\(error)") }
        }
    }
}
