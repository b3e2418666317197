import Foundation
import Imaging
import XCTest

/// SVG rendering through librsvg against renderings by `rsvg-convert`, committed by
/// `Tests/Reference/make_svg_fixtures.py` (the rsvg-convert version is in the manifest).
final class SVGRenderingTests: XCTestCase {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // ImagingTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures/svg")

    struct Rendering: Decodable {
        let svg: String
        let side: Int
        let png: String
    }

    struct Manifest: Decodable {
        let reference: String
        let renderings: [Rendering]
    }

    /// Largest allowed difference, in 8-bit levels, of alpha and of premultiplied colour
    /// `c * a / 255`. Same librsvg and cairo on both sides: they agree exactly here; the level
    /// leaves room for other pixman builds. Mutations of the renderer fail it: returning cairo's
    /// premultiplied samples as they are (44 levels off on square-32), reading cairo's pixels
    /// as BGR (151), drawing a non-square document at the top left instead of centred (255).
    static let tolerance = 1

    /// The largest difference between two RGBA images of one size (alpha, premultiplied colour).
    static func maxDifference(_ a: Image, _ b: Image) -> Int {
        precondition(a.channels == 4 && b.channels == 4 && a.pixels.count == b.pixels.count)
        var largest = 0
        for pixel in stride(from: 0, to: a.pixels.count, by: 4) {
            let alphaA = Int(a.pixels[pixel + 3]), alphaB = Int(b.pixels[pixel + 3])
            largest = max(largest, abs(alphaA - alphaB))
            for c in 0..<3 {
                let premultipliedA = (Int(a.pixels[pixel + c]) * alphaA + 127) / 255
                let premultipliedB = (Int(b.pixels[pixel + c]) * alphaB + 127) / 255
                largest = max(largest, abs(premultipliedA - premultipliedB))
            }
        }
        return largest
    }

    func testRenderingsMatchRSVGConvert() throws {
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: Self.directory.appendingPathComponent("manifest.json")))
        XCTAssertTrue(manifest.reference.hasPrefix("rsvg-convert"), manifest.reference)
        XCTAssertEqual(manifest.renderings.map { "\($0.svg)@\($0.side)" }, ["square.svg@32", "square.svg@13", "wide.svg@32", "tall.svg@32"])
        for rendering in manifest.renderings {
            let image = try ImageCodec.renderSVG(contentsOf: Self.directory.appendingPathComponent(rendering.svg), side: rendering.side)
            let reference = try ImageCodec.decode(contentsOf: Self.directory.appendingPathComponent(rendering.png))
            XCTAssertEqual([image.width, image.height, image.channels], [rendering.side, rendering.side, 4], rendering.png)
            XCTAssertEqual([reference.width, reference.height, reference.channels], [rendering.side, rendering.side, 4], rendering.png)
            XCTAssertLessThanOrEqual(Self.maxDifference(image, reference), Self.tolerance, "\(rendering.png): max difference")
        }
    }

    func testNonSquareDocumentsAreCentredBetweenTransparentMargins() throws {
        let wide = try ImageCodec.renderSVG(contentsOf: Self.directory.appendingPathComponent("wide.svg"), side: 32)
        let tall = try ImageCodec.renderSVG(contentsOf: Self.directory.appendingPathComponent("tall.svg"), side: 32)
        for i in 0..<32 {
            for margin in [0, 7, 24, 31] {
                XCTAssertEqual(wide[x: i, y: margin, channel: 3], 0, "wide.svg row \(margin)")
                XCTAssertEqual(tall[x: margin, y: i, channel: 3], 0, "tall.svg column \(margin)")
            }
            XCTAssertEqual(wide[x: i, y: 8, channel: 3], 255, "wide.svg first row of the picture")
        }
    }

    func testSizeIsTheViewBoxElseWidthAndHeight() throws {
        func size(_ name: String) throws -> [Double] {
            let bytes = [UInt8](try Data(contentsOf: Self.directory.appendingPathComponent(name)))
            let size = try ImageCodec.svgSize(data: bytes, name: name)
            return [size.width, size.height]
        }
        XCTAssertEqual(try size("square.svg"), [24, 24])
        XCTAssertEqual(try size("wide.svg"), [40, 20])
        XCTAssertEqual(try size("tall.svg"), [10, 20])
    }

    func testBadSVGsAreTypedErrorsNamingTheFile() throws {
        func error(_ text: String, name: String = "icon.svg") -> ImageError? {
            do {
                _ = try ImageCodec.renderSVG(data: Array(text.utf8), name: name, side: 16)
                return nil
            } catch let error as ImageError {
                XCTAssertTrue(error.description.hasPrefix(name + ": "), error.description)
                return error
            } catch {
                XCTFail("not an ImageError: \(error)")
                return nil
            }
        }
        guard case .corruptSVG("icon.svg", let notXML)? = error("this is not XML") else {
            return XCTFail("plain text must be a corrupt SVG")
        }
        XCTAssertFalse(notXML.isEmpty)
        guard case .corruptSVG? = error("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"><rect width=") else {
            return XCTFail("a truncated document must be a corrupt SVG")
        }
        guard case .corruptSVG(_, let empty)? = error("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 0 8\"/>") else {
            return XCTFail("an empty viewBox must be refused")
        }
        XCTAssertTrue(empty.contains("0 x 8"), empty)
        XCTAssertEqual(error("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"4\" height=\"4\"/></svg>"),
                       .unsupported(path: "icon.svg", message: "the SVG has neither a viewBox nor a width and height in absolute units"))
        XCTAssertEqual(error(""), .emptyFile(path: "icon.svg"))

        let missing = Self.directory.appendingPathComponent("no-such.svg")
        XCTAssertThrowsError(try ImageCodec.renderSVG(contentsOf: missing, side: 16)) { error in
            XCTAssertEqual(error as? ImageError, .unreadableFile(path: missing.path, reason: "no such file"))
        }
        XCTAssertThrowsError(try ImageCodec.svgSize(data: Array("<html/>".utf8), name: "page.svg")) { error in
            XCTAssertEqual((error as? ImageError)?.path, "page.svg")
        }
    }
}
