import DatasetKit
import Foundation
import Storage
import XCTest

/// Resize against PyTorch: `Tests/Fixtures/preprocessing.h5`, written by
/// `Tests/Reference/make_preprocessing_fixtures.py` (F.interpolate in float64, stored as
/// float32; area = adaptive average pooling, bilinear with align_corners=False and no
/// antialiasing, automatic = area along shrinking axes and bilinear along growing ones).
final class ResizeParityTests: XCTestCase {
    static let fixturePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/preprocessing.h5").path

    func testEveryFixtureCaseMatchesPyTorch() throws {
        let file = try HDF5File(reading: Self.fixturePath)
        let cases = try file.root.group("resize").childNames()
        XCTAssertGreaterThanOrEqual(cases.count, 17)
        var worst: Float = 0
        for name in cases {
            let group = try file.root.group("resize/\(name)")
            let (input, inShape) = try group.read(Float.self, from: "input")
            let (expected, outShape) = try group.read(Float.self, from: "output")
            let mode = try XCTUnwrap(Resize.Mode(rawValue: try group.stringAttribute("mode")), name)
            let height = Int(try group.attribute("out_height", as: Int64.self))
            let width = Int(try group.attribute("out_width", as: Int64.self))
            XCTAssertEqual(outShape, [inShape[0], height, width], name)

            let image = PlanarImage(channels: inShape[0], height: inShape[1], width: inShape[2], pixels: input)
            let resized = try Resize(height: height, width: width, mode: mode).apply(image)
            XCTAssertEqual([resized.channels, resized.height, resized.width], outShape, name)
            let diff = zip(resized.pixels, expected).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(diff, 1e-5, "\(name) (\(mode)): max |diff| \(diff)")
            worst = max(worst, diff)
        }
        print("resize parity with PyTorch over \(cases.count) cases: max |diff| = \(worst)")
    }

    func testSameSizeIsAnExactCopyInEveryMode() throws {
        let image = PlanarImage(channels: 2, height: 3, width: 4, pixels: (0..<24).map { Float($0) / 7 })
        for mode in Resize.Mode.allCases {
            XCTAssertEqual(try Resize(height: 3, width: 4, mode: mode).apply(image), image)
        }
        // One axis unchanged: that axis is copied exactly, the other is filtered.
        let halfWidth = try Resize(height: 3, width: 2, mode: .area).apply(image)
        XCTAssertEqual(halfWidth[1, 2, 1], (image[1, 2, 2] + image[1, 2, 3]) / 2, accuracy: 1e-6)
    }

    func testInvalidSizeIsATypedError() {
        XCTAssertThrowsError(try Resize(height: 0, width: 4)) { error in
            guard case PreprocessingError.invalidParameter(let name, _, _) = error else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(name, "resize")
        }
    }
}
