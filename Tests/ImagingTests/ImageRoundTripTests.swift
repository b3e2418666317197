import Foundation
import Imaging
import XCTest

/// encodePNG / writePNG followed by decode returns the same pixels, and the float conversions.
final class ImageRoundTripTests: XCTestCase {
    private func pattern(width: Int, height: Int, channels: Int) -> Image {
        var generator = SplitMix64(seed: UInt64(channels))
        let pixels = (0..<(width * height * channels)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    func testEncodeThenDecodeKeepsPixelsForEveryChannelCount() throws {
        for channels in 1...4 {
            let image = pattern(width: 17, height: 5, channels: channels)
            let encoded = try ImageCodec.encodePNG(image)
            XCTAssertEqual(Array(encoded.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            XCTAssertEqual(try ImageCodec.decode(data: encoded, name: "round-trip"), image, "\(channels) channels")
        }
    }

    func testWritePNGReplacesTheFileAtomically() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("imaging-write-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("grid.png")
        try Data("old contents".utf8).write(to: url)

        let image = pattern(width: 3, height: 2, channels: 3)
        try ImageCodec.writePNG(image, to: url)
        XCTAssertEqual(try ImageCodec.decode(contentsOf: url), image)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["grid.png"],
                       "no temporary file is left behind")

        let missing = directory.appendingPathComponent("no-such-directory/grid.png")
        XCTAssertThrowsError(try ImageCodec.writePNG(image, to: missing)) { error in
            guard case .unwritableFile(let path, _) = error as? ImageError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, missing.path)
        }
    }

    func testPlanarFloatsAreCHWInUnitRange() {
        // 2 x 1 RGBA: pixel 0 = (255, 0, 51, 255), pixel 1 = (0, 102, 255, 0).
        let image = Image(width: 2, height: 1, channels: 4, pixels: [255, 0, 51, 255, 0, 102, 255, 0])
        XCTAssertEqual(image.planarFloats(), [1, 0, 0, 0.4, 0.2, 1, 1, 0])
        // Alpha over white: the opaque pixel keeps its colour, the transparent one turns white.
        XCTAssertEqual(image.planarRGBFloats(), [1, 1, 0, 1, 0.2, 1])
    }

    func testPlanarRGBFloatsReplicateGrayAndCompositeAlpha() {
        let gray = Image(width: 3, height: 1, channels: 1, pixels: [0, 51, 255])
        XCTAssertEqual(gray.planarRGBFloats(), [0, 0.2, 1, 0, 0.2, 1, 0, 0.2, 1])

        // Gray 0 at alpha 51 (0.2) over white: 0 * 0.2 + 1 * 0.8.
        let grayAlpha = Image(width: 1, height: 1, channels: 2, pixels: [0, 51])
        let composited = grayAlpha.planarRGBFloats()
        XCTAssertEqual(composited.count, 3)
        for value in composited { XCTAssertEqual(value, 0.8, accuracy: 1e-6) }

        let rgb = pattern(width: 4, height: 3, channels: 3)
        XCTAssertEqual(rgb.planarRGBFloats(), rgb.planarFloats())
    }

    func testSubscriptReadsHWC() {
        let image = Image(width: 2, height: 2, channels: 2, pixels: [0, 1, 2, 3, 4, 5, 6, 7])
        XCTAssertEqual(image[x: 1, y: 0, channel: 1], 3)
        XCTAssertEqual(image[x: 0, y: 1, channel: 0], 4)
        XCTAssertTrue(image.hasAlpha)
    }
}
