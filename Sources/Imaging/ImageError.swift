/// Why an image could not be read or written. Every case names the file (or the name given
/// to `ImageCodec.decode(data:name:)`) and what is wrong with it.
public enum ImageError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read (missing, a directory, no permission).
    case unreadableFile(path: String, reason: String)
    /// The file has zero bytes.
    case emptyFile(path: String)
    /// The first bytes are neither the PNG nor the JPEG signature; `leadingBytes` are up to 8 of them.
    case unknownFormat(path: String, leadingBytes: [UInt8])
    /// libpng refused the file (truncated, bad CRC, bad zlib data, bad header); `message` is libpng's.
    case corruptPNG(path: String, message: String)
    /// libjpeg refused the file or warned about corrupt data; `message` is libjpeg's.
    case corruptJPEG(path: String, message: String)
    /// librsvg could not parse or render the SVG, or its size is not positive; `message` is librsvg's.
    case corruptSVG(path: String, message: String)
    /// A valid file this decoder does not handle, e.g. a CMYK or 12-bit JPEG, or an SVG
    /// without a viewBox or an absolute width and height.
    case unsupported(path: String, message: String)
    /// The header claims more than `ImageCodec.maximumSide` pixels per side or more than
    /// `ImageCodec.maximumPixelCount` pixels; nothing was allocated.
    case tooLarge(path: String, width: Int, height: Int)
    /// Memory for the pixels or the encoded bytes could not be allocated.
    case outOfMemory(path: String, message: String)
    /// The PNG encoder failed; `message` is libpng's.
    case encodingFailed(path: String, message: String)
    /// The encoded file could not be written.
    case unwritableFile(path: String, reason: String)

    /// The file (or name) the error is about.
    public var path: String {
        switch self {
        case .unreadableFile(let path, _), .emptyFile(let path), .unknownFormat(let path, _),
             .corruptPNG(let path, _), .corruptJPEG(let path, _), .corruptSVG(let path, _), .unsupported(let path, _),
             .tooLarge(let path, _, _), .outOfMemory(let path, _), .encodingFailed(let path, _),
             .unwritableFile(let path, _):
            return path
        }
    }

    /// One line: the path, then the problem.
    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read the file: \(reason)"
        case .emptyFile(let path):
            return "\(path): the file is empty"
        case .unknownFormat(let path, let bytes):
            let hex = bytes.map { String($0, radix: 16, uppercase: true) }
                .map { $0.count == 1 ? "0" + $0 : $0 }.joined(separator: " ")
            let ascii = String(bytes.map { (32..<127).contains($0) ? Character(UnicodeScalar($0)) : "." })
            return "\(path): not a PNG or JPEG file (it starts with \(hex) \"\(ascii)\"; "
                + "PNG starts with 89 50 4E 47 0D 0A 1A 0A, JPEG with FF D8 FF)"
        case .corruptPNG(let path, let message):
            return "\(path): corrupt or truncated PNG: \(message)"
        case .corruptJPEG(let path, let message):
            return "\(path): corrupt or truncated JPEG: \(message)"
        case .corruptSVG(let path, let message):
            return "\(path): unreadable SVG: \(message)"
        case .unsupported(let path, let message):
            return "\(path): unsupported image: \(message)"
        case .tooLarge(let path, let width, let height):
            return "\(path): the header claims \(width) x \(height) pixels; the limit is "
                + "\(ImageCodec.maximumSide) per side and \(ImageCodec.maximumPixelCount) pixels"
        case .outOfMemory(let path, let message):
            return "\(path): out of memory: \(message)"
        case .encodingFailed(let path, let message):
            return "\(path): PNG encoding failed: \(message)"
        case .unwritableFile(let path, let reason):
            return "\(path): cannot write the file: \(reason)"
        }
    }
}
