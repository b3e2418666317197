import Foundation
import Imaging
import XCTest

/// Decodes every committed fixture and compares with the pixels recorded by the reference
/// script (PNG exactly, JPEG within the recorded tolerance of Pillow's decode).
final class FixtureDecodingTests: XCTestCase {
    func testManifestCoversEveryVariant() throws {
        let manifest = try Fixtures.manifest()
        let files = Set(manifest.images.map(\.file))
        for required in ["gray1.png", "gray2.png", "gray4.png", "gray8.png", "gray16.png", "gray_alpha8.png",
                         "gray_alpha16.png", "gray_trns8.png", "rgb8.png", "rgb16.png", "rgb_trns8.png", "rgba8.png",
                         "rgba16.png", "palette2.png", "palette4_trns.png", "palette8.png", "palette_trns8.png",
                         "gamma_linear8.png", "interlaced_gray1.png", "interlaced_rgb8.png", "interlaced_rgba16.png",
                         "baseline_rgb.jpg", "baseline_rgb444.jpg", "baseline_gray.jpg", "progressive_rgb.jpg",
                         "cmyk.jpg"] {
            XCTAssertTrue(files.contains(required), "manifest lacks \(required)")
        }
        XCTAssertEqual(manifest.images.count, 26)
        XCTAssertFalse(manifest.pillow.isEmpty)
        XCTAssertFalse(manifest.numpy.isEmpty)
    }

    func testFixturesDecodeToReferencePixels() throws {
        for entry in try Fixtures.manifest().images {
            guard let expected = entry.pixels, let width = entry.width, let height = entry.height,
                  let channels = entry.channels, let tolerance = entry.tolerance else { continue }
            let image = try ImageCodec.decode(contentsOf: entry.url)
            XCTAssertEqual([image.width, image.height, image.channels], [width, height, channels], entry.file)
            guard image.pixels.count == expected.count else { continue }
            var maxDifference = 0
            for (actual, reference) in zip(image.pixels, expected) {
                maxDifference = max(maxDifference, abs(Int(actual) - reference))
            }
            XCTAssertLessThanOrEqual(maxDifference, tolerance, "\(entry.file) (\(entry.note)): max difference")
        }
    }

    func testRefusedFixturesThrowTheRecordedError() throws {
        let refused = try Fixtures.manifest().images.filter { $0.error != nil }
        XCTAssertEqual(refused.map(\.file), ["cmyk.jpg"])
        for entry in refused {
            XCTAssertThrowsError(try ImageCodec.decode(contentsOf: entry.url)) { error in
                guard case .unsupported(let path, let message) = error as? ImageError else {
                    return XCTFail("\(entry.file): expected .unsupported, got \(error)")
                }
                XCTAssertEqual(path, entry.url.path)
                XCTAssertTrue(message.contains("CMYK"), message)
            }
        }
    }

    func testFormatIsChosenByMagicBytesNotExtension() throws {
        let manifest = try Fixtures.manifest()
        for name in ["rgb8.png", "baseline_gray.jpg"] {
            let entry = try XCTUnwrap(manifest.images.first { $0.file == name })
            let bytes = try Fixtures.bytes(of: entry)
            let renamed = try ImageCodec.decode(data: bytes, name: name.hasSuffix(".png") ? "renamed.jpg" : "renamed.png")
            XCTAssertEqual(renamed, try ImageCodec.decode(contentsOf: entry.url))
        }
    }
}
