import Foundation
import Imaging
import XCTest

/// A corpus of broken files generated from the good fixtures at run time. Every case must end
/// in a thrown `ImageError` that names the file, or (where the damage cannot be detected) a
/// valid image; never a crash.
final class BrokenFileTests: XCTestCase {
    private enum Outcome {
        case image(Image)
        case error(ImageError)
    }

    private func decode(_ bytes: [UInt8], name: String, file: StaticString = #filePath, line: UInt = #line) -> Outcome? {
        do {
            return .image(try ImageCodec.decode(data: bytes, name: name))
        } catch let error as ImageError {
            XCTAssertEqual(error.path, name, "the error names the file", file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix(name + ": "), error.description, file: file, line: line)
            return .error(error)
        } catch {
            XCTFail("\(name): not an ImageError: \(error)", file: file, line: line)
            return nil
        }
    }

    private func goodFixtures() throws -> [(entry: Fixtures.Entry, bytes: [UInt8])] {
        try Fixtures.manifest().images.filter { $0.pixels != nil }.map { ($0, try Fixtures.bytes(of: $0)) }
    }

    func testTruncatedFilesAreRefused() throws {
        var cases = 0
        for (entry, bytes) in try goodFixtures() {
            let offsets = Set([0, 1, 8, 16, 33, bytes.count / 2, bytes.count - 1]).sorted()
            for offset in offsets {
                let name = "\(entry.file)[..<\(offset)]"
                cases += 1
                guard case .error(let error) = decode(Array(bytes.prefix(offset)), name: name) else {
                    XCTFail("\(name): a truncated file decoded"); continue
                }
                switch (offset, error) {
                case (0, .emptyFile), (1, .unknownFormat): break
                case (_, .corruptPNG) where entry.isPNG && offset >= 8: break
                case (_, .unknownFormat) where entry.isPNG && offset < 8: break
                case (_, .corruptJPEG) where !entry.isPNG && offset >= 3: break
                default: XCTFail("\(name): unexpected \(error)")
                }
            }
        }
        XCTAssertEqual(cases, 25 * 7)
    }

    /// One flipped bit per case, at seeded positions. PNG: CRC-32 covers every chunk and the
    /// decoder fails on any CRC error, so a PNG that still decodes has exactly the original
    /// pixels. JPEG has no checksum: a flip in entropy-coded data may decode to other
    /// pixels, so a JPEG only has to keep its size and channels.
    func testBitFlipsNeverCrash() throws {
        var generator = SplitMix64(seed: 2014)
        var cases = 0, refused = 0
        for (entry, bytes) in try goodFixtures() {
            let original = try ImageCodec.decode(data: bytes, name: entry.file)
            for _ in 0..<12 {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                let bit = Int.random(in: 0..<8, using: &generator)
                var flipped = bytes
                flipped[position] ^= UInt8(1 << bit)
                let name = "\(entry.file)[bit \(bit) of byte \(position)]"
                cases += 1
                switch decode(flipped, name: name) {
                case .image(let image) where entry.isPNG:
                    XCTAssertEqual(image, original, name)
                case .image(let image):
                    XCTAssertEqual([image.width, image.height, image.channels],
                                   [original.width, original.height, original.channels], name)
                case .error: refused += 1
                case nil: break
                }
            }
        }
        XCTAssertEqual(cases, 25 * 12)
        XCTAssertGreaterThan(refused, cases / 2, "most flips are detected")
    }

    func testGarbageAndMislabelledFiles() throws {
        var generator = SplitMix64(seed: 7)
        var garbage = (0..<512).map { _ in UInt8.random(in: 0...255, using: &generator) }
        garbage[0] = 0x47
        let png = try XCTUnwrap(goodFixtures().first { $0.entry.file == "rgb8.png" })
        let pngSignature = Array(png.bytes.prefix(8))
        let jpegSignature: [UInt8] = [0xFF, 0xD8, 0xFF]
        var cases = 0

        func expect(_ bytes: [UInt8], name: String, _ matches: (ImageError) -> Bool) {
            cases += 1
            guard case .error(let error) = decode(bytes, name: name) else { return XCTFail("\(name) decoded") }
            XCTAssertTrue(matches(error), "\(name): unexpected \(error)")
        }

        expect([], name: "empty.png") { if case .emptyFile = $0 { true } else { false } }
        expect([0, 0, 0, 0], name: "zeros.png") { if case .unknownFormat = $0 { true } else { false } }
        expect(Array("not an image, just some text\n".utf8), name: "notes.png") {
            if case .unknownFormat(_, let magic) = $0 { magic == Array("not an i".utf8) } else { false }
        }
        expect(garbage, name: "garbage.jpg") { if case .unknownFormat = $0 { true } else { false } }
        expect(pngSignature + garbage, name: "signature-then-garbage.png") {
            if case .corruptPNG = $0 { true } else { false }
        }
        expect(jpegSignature + garbage, name: "signature-then-garbage.jpg") {
            if case .corruptJPEG = $0 { true } else { false }
        }
        expect(pngSignature, name: "signature-only.png") { if case .corruptPNG = $0 { true } else { false } }
        XCTAssertEqual(cases, 7)

        let description = ImageError.unknownFormat(path: "notes.png", leadingBytes: Array("not an i".utf8)).description
        XCTAssertEqual(description, "notes.png: not a PNG or JPEG file (it starts with 6E 6F 74 20 61 6E 20 69 "
            + "\"not an i\"; PNG starts with 89 50 4E 47 0D 0A 1A 0A, JPEG with FF D8 FF)")
    }

    /// A PNG whose IHDR (with a valid CRC) claims `width` x `height`.
    private func png(claiming width: UInt32, _ height: UInt32) throws -> [UInt8] {
        var bytes = try XCTUnwrap(goodFixtures().first { $0.entry.file == "gray8.png" }).bytes
        XCTAssertEqual(Array(bytes[12..<16]), Array("IHDR".utf8))
        bytes.putBigEndian(width, at: 16)
        bytes.putBigEndian(height, at: 20)
        bytes.putBigEndian(crc32(bytes[12..<29]), at: 29)
        return bytes
    }

    /// A JPEG whose SOF segment claims `width` x `height`.
    private func jpeg(claiming width: UInt16, _ height: UInt16) throws -> [UInt8] {
        var bytes = try XCTUnwrap(goodFixtures().first { $0.entry.file == "baseline_rgb.jpg" }).bytes
        var offset = 2
        while bytes[offset] == 0xFF, !(0xC0...0xC2).contains(bytes[offset + 1]) {
            offset += 2 + Int(bytes[offset + 2]) << 8 + Int(bytes[offset + 3])
        }
        XCTAssertEqual(bytes[offset], 0xFF, "found the SOF marker")
        bytes.putBigEndian(height, at: offset + 5)
        bytes.putBigEndian(width, at: offset + 7)
        return bytes
    }

    func testAbsurdDimensionsAreRefusedBeforeAllocating() throws {
        let cases: [(bytes: [UInt8], name: String, width: Int, height: Int)] = [
            (try png(claiming: 100_000, 100_000), "huge.png", 100_000, 100_000),
            (try png(claiming: 20_000, 20_000), "many-pixels.png", 20_000, 20_000),  // each side fits, the product does not
            (try jpeg(claiming: 60_000, 60_000), "huge.jpg", 60_000, 60_000),
            (try jpeg(claiming: 40_000, 7), "wide.jpg", 40_000, 7),
        ]
        for item in cases {
            guard case .error(let error) = decode(item.bytes, name: item.name) else { XCTFail("\(item.name) decoded"); continue }
            XCTAssertEqual(error, .tooLarge(path: item.name, width: item.width, height: item.height))
        }
        guard case .error(.corruptPNG(_, let message)) = decode(try png(claiming: 0, 7), name: "zero-width.png") else {
            return XCTFail("zero-width.png")
        }
        XCTAssertEqual(message, "Invalid IHDR data (after warning: Image width is zero in IHDR)")
        XCTAssertEqual(cases.count + 1, 5)
    }

    func testFilesOnDisk() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("imaging-broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fixtures = try goodFixtures()
        let png = try XCTUnwrap(fixtures.first { $0.entry.file == "rgb8.png" })
        let jpeg = try XCTUnwrap(fixtures.first { $0.entry.file == "progressive_rgb.jpg" })

        // Magic bytes win over the extension.
        let pngAsJPEG = directory.appendingPathComponent("photo.jpg")
        try Data(png.bytes).write(to: pngAsJPEG)
        XCTAssertEqual(try ImageCodec.decode(contentsOf: pngAsJPEG), try ImageCodec.decode(contentsOf: png.entry.url))
        let jpegAsPNG = directory.appendingPathComponent("icon.png")
        try Data(jpeg.bytes).write(to: jpegAsPNG)
        XCTAssertEqual(try ImageCodec.decode(contentsOf: jpegAsPNG), try ImageCodec.decode(contentsOf: jpeg.entry.url))

        let empty = directory.appendingPathComponent("empty.png")
        try Data().write(to: empty)
        let text = directory.appendingPathComponent("readme.png")
        try Data("# not an image\n".utf8).write(to: text)
        let missing = directory.appendingPathComponent("missing.png")
        let cases: [(URL, (ImageError) -> Bool)] = [
            (empty, { if case .emptyFile = $0 { true } else { false } }),
            (text, { if case .unknownFormat = $0 { true } else { false } }),
            (missing, { if case .unreadableFile = $0 { true } else { false } }),
            (directory, { if case .unreadableFile = $0 { true } else { false } }),
        ]
        for (url, matches) in cases {
            XCTAssertThrowsError(try ImageCodec.decode(contentsOf: url)) { error in
                guard let error = error as? ImageError else { return XCTFail("\(url.path): \(error)") }
                XCTAssertTrue(matches(error), "\(url.path): unexpected \(error)")
                XCTAssertEqual(error.path, url.path)
            }
        }
        XCTAssertEqual(cases.count + 2, 6)
    }
}
