import CImageCodecs
import Foundation

/// Reads PNG and JPEG images and writes PNG, through libpng and libjpeg in the CImageCodecs
/// C target (whose longjmp-based error handling never crosses a Swift frame); renders SVG
/// through librsvg (`ImageCodec+SVG.swift`).
///
/// The format is chosen by the file's first bytes, never by its extension. Decoded images are
/// 8-bit with the source's channels: gray 1, gray + alpha 2, RGB 3, RGBA 4; a palette becomes
/// RGB, or RGBA when it has transparency; 16-bit PNG samples are rounded to 8 bits; no gamma or
/// colour-profile conversion is applied. JPEG: gray 1 channel, colour 3 (RGB); CMYK is refused.
public enum ImageCodec {
    /// The largest width or height accepted; checked from the header before allocating.
    public static let maximumSide = Int(IC_MAX_SIDE)
    /// The largest `width * height` accepted; checked from the header before allocating.
    public static let maximumPixelCount = Int(IC_MAX_PIXELS)

    /// Reads and decodes the PNG or JPEG file at `url`.
    public static func decode(contentsOf url: URL) throws -> Image {
        try contents(of: url).withUnsafeBytes { try decode(bytes: $0, name: url.path) }
    }

    /// Decodes a PNG or JPEG held in memory; `name` (usually the file path) goes into errors.
    public static func decode(data: [UInt8], name: String) throws -> Image {
        try data.withUnsafeBytes { try decode(bytes: $0, name: name) }
    }

    /// Encodes `image` as a non-interlaced 8-bit PNG without gamma chunks.
    public static func encodePNG(_ image: Image) throws -> [UInt8] {
        try encodePNG(image, name: "(PNG in memory)")
    }

    /// Encodes `image` as PNG and writes it to `url` atomically: the bytes go to a temporary
    /// file in the same directory, which is then renamed over `url`, so a reader never sees
    /// half a file.
    public static func writePNG(_ image: Image, to url: URL) throws {
        let bytes = try encodePNG(image, name: url.path)
        do {
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw ImageError.unwritableFile(path: url.path, reason: error.localizedDescription)
        }
    }

    // MARK: - Implementation

    private static func decode(bytes: UnsafeRawBufferPointer, name: String) throws -> Image {
        guard bytes.count > 0 else { throw ImageError.emptyFile(path: name) }
        var decoded = ic_image()
        defer { ic_image_free(&decoded) }
        var message = [CChar](repeating: 0, count: Int(IC_MESSAGE_CAPACITY))
        let status = ic_decode(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count, &decoded, &message)
        guard status == IC_OK else {
            let text = string(from: message)
            switch status {
            case IC_ERR_EMPTY: throw ImageError.emptyFile(path: name)
            case IC_ERR_UNKNOWN_FORMAT: throw ImageError.unknownFormat(path: name, leadingBytes: Array(bytes.prefix(8)))
            case IC_ERR_CORRUPT_PNG: throw ImageError.corruptPNG(path: name, message: text)
            case IC_ERR_UNSUPPORTED: throw ImageError.unsupported(path: name, message: text)
            case IC_ERR_TOO_LARGE:
                throw ImageError.tooLarge(path: name, width: Int(decoded.width), height: Int(decoded.height))
            case IC_ERR_OUT_OF_MEMORY: throw ImageError.outOfMemory(path: name, message: text)
            case IC_ERR_CORRUPT_JPEG: throw ImageError.corruptJPEG(path: name, message: text)
            default: preconditionFailure("ic_decode returned status \(status) for \(name): \(text)")
            }
        }
        let count = Int(decoded.width) * Int(decoded.height) * Int(decoded.channels)
        return Image(width: Int(decoded.width), height: Int(decoded.height), channels: Int(decoded.channels),
                     pixels: Array(UnsafeBufferPointer(start: decoded.pixels, count: count)))
    }

    private static func encodePNG(_ image: Image, name: String) throws -> [UInt8] {
        guard image.width <= Int(UInt32.max >> 1), image.height <= Int(UInt32.max >> 1) else {
            throw ImageError.encodingFailed(path: name, message: "\(image.width) x \(image.height) is too large for PNG")
        }
        var encoded = ic_buffer()
        defer { ic_buffer_free(&encoded) }
        var message = [CChar](repeating: 0, count: Int(IC_MESSAGE_CAPACITY))
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            ic_encode_png(pixels.baseAddress, UInt32(image.width), UInt32(image.height), UInt32(image.channels),
                          &encoded, &message)
        }
        guard status == IC_OK else {
            if status == IC_ERR_OUT_OF_MEMORY { throw ImageError.outOfMemory(path: name, message: string(from: message)) }
            throw ImageError.encodingFailed(path: name, message: string(from: message))
        }
        return Array(UnsafeBufferPointer(start: encoded.bytes, count: encoded.count))
    }

    /// The bytes of the file at `url`; a failure is `ImageError.unreadableFile` saying why.
    static func contents(of url: URL) throws -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw ImageError.unreadableFile(path: url.path, reason: readFailureReason(url, error))
        }
    }

    static func string(from message: [CChar]) -> String {
        String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Foundation's messages for a missing file or a directory are vague; say which it is.
    private static func readFailureReason(_ url: URL, _ error: any Error) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return "no such file" }
        return isDirectory.boolValue ? "it is a directory" : error.localizedDescription
    }
}
