import Foundation

/// The committed image fixtures and their manifest, written by
/// `Tests/Reference/make_image_fixtures.py` (Pillow + numpy; versions recorded in the manifest).
enum Fixtures {
    /// `Tests/Fixtures/images`, found from this source file.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // ImagingTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures/images")

    /// One fixture: either expected pixels (HWC, flat) with a per-sample tolerance, or the
    /// ImageError case the decoder must throw.
    struct Entry: Decodable {
        let file: String
        let note: String
        let width: Int?
        let height: Int?
        let channels: Int?
        let tolerance: Int?
        let pixels: [Int]?
        let error: String?

        var url: URL { Fixtures.directory.appendingPathComponent(file) }
        var isPNG: Bool { file.hasSuffix(".png") }
    }

    struct Manifest: Decodable {
        let generator: String
        let pillow: String
        let numpy: String
        let images: [Entry]
    }

    static func manifest() throws -> Manifest {
        let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        return try JSONDecoder().decode(Manifest.self, from: data)
    }

    static func bytes(of entry: Entry) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: entry.url))
    }
}

/// SplitMix64: a small seeded generator, so the broken-file corpus is the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// CRC-32 as used by PNG chunks (ISO 3309, reflected polynomial 0xEDB88320).
func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
    }
    return ~crc
}

extension Array where Element == UInt8 {
    /// Writes `value` big-endian at `offset`.
    mutating func putBigEndian<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        for i in 0..<(T.bitWidth / 8) {
            self[offset + i] = UInt8(truncatingIfNeeded: value >> (T.bitWidth - 8 * (i + 1)))
        }
    }
}
