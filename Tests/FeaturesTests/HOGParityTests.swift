import DatasetKit
import Features
import Storage
import XCTest

/// HOG against scikit-image's `skimage.feature.hog` (fixture: see `FeatureFixture`).
/// The fixture was produced by (abridged from Tests/Reference/make_feature_fixtures.py):
///
///     hog(image, orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2),
///         block_norm="L2-Hys", transform_sqrt=False, feature_vector=True)
///
/// plus other orientation counts, cell and block sizes, norms, and `channel_axis=-1`.
final class HOGParityTests: XCTestCase {
    /// Stated tolerance: max |ours - skimage| <= 1e-5 (the values are in [0, 1]).
    static let tolerance: Float = 1e-5

    func testEveryFixtureCaseMatchesScikitImage() throws {
        let file = try FeatureFixture.open()
        let cases = try file.root.group("hog").childNames()
        XCTAssertGreaterThanOrEqual(cases.count, 10)
        var worst: Float = 0
        for name in cases {
            let group = try file.root.group("hog/\(name)")
            let image = try FeatureFixture.image(try group.stringAttribute("image"), in: file)
            let cell = try group.attributeArray("pixels_per_cell", as: Int64.self).map { Int($0) }
            let block = try group.attributeArray("cells_per_block", as: Int64.self).map { Int($0) }
            let norm = try XCTUnwrap(HOG.BlockNorm(rawValue: try group.stringAttribute("block_norm")))
            let colour = try group.hasAttribute("channel_axis")
            let hog = try HOG(orientations: Int(try group.attribute("orientations", as: Int64.self)),
                              pixelsPerCell: cell, cellsPerBlock: block, blockNorm: norm,
                              channelMode: colour ? .dominantChannel : .gray)
            let expected = try group.read(Float.self, from: "features").values
            let ours = try hog.features(of: image)
            XCTAssertEqual(ours.count, expected.count, name)
            let diff = zip(ours, expected).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(diff, Self.tolerance, "\(name): max |diff| \(diff)")
            worst = max(worst, diff)
        }
        print("HOG parity with scikit-image over \(cases.count) cases: max |diff| = \(worst)")
    }

    func testDalalTriggsDimensionAndTooSmallImage() throws {
        let hog = try HOG()
        XCTAssertEqual(try hog.dimension(height: 64, width: 64), 7 * 7 * 2 * 2 * 9)
        XCTAssertEqual(try hog.dimension(height: 48, width: 40), 5 * 4 * 36)
        XCTAssertThrowsError(try hog.dimension(height: 15, width: 64)) { error in
            guard case FeatureError.imageTooSmall(let feature, _, _, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(feature, "hog")
        }
        XCTAssertThrowsError(try HOG(pixelsPerCell: [8])) { error in
            guard case FeatureError.invalidParameter(let name, _, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "hog.pixels_per_cell")
        }
    }

    /// A vertical step edge: all gradient is horizontal (orientation 0), so only bin 0 of
    /// the cells along the edge is non-zero.
    func testVerticalEdgeVotesIntoTheZeroDegreeBin() throws {
        var image = PlanarImage(channels: 1, height: 16, width: 16)
        for y in 0..<16 { for x in 8..<16 { image[0, y, x] = 1 } }
        let features = try HOG(cellsPerBlock: [1, 1], blockNorm: .l1).features(of: image)
        XCTAssertEqual(features.count, 4 * 9)
        for cell in 0..<4 {
            for bin in 1..<9 { XCTAssertEqual(features[cell * 9 + bin], 0, "cell \(cell) bin \(bin)") }
            XCTAssertEqual(features[cell * 9], 1, accuracy: 1e-4, "cell \(cell)")  // L1: all mass in bin 0
        }
    }
}
