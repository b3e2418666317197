import CImageCodecs
import Foundation

extension ImageCodec {
    /// The width and height an SVG document is fitted by when rendered, in user units: its
    /// `viewBox`, or without one its `width` and `height` resolved to pixels at 96 dpi. Their
    /// ratio is the document's aspect ratio (an icon drawn square has `width == height`).
    ///
    /// Throws `ImageError.corruptSVG` (librsvg's message) for bytes librsvg cannot parse,
    /// `.unsupported` for a document without a viewBox or an absolute size, `.emptyFile`.
    public static func svgSize(data: [UInt8], name: String) throws -> (width: Double, height: Double) {
        var width = 0.0, height = 0.0
        var message = [CChar](repeating: 0, count: Int(IC_MESSAGE_CAPACITY))
        let status = data.withUnsafeBufferPointer { ic_svg_size($0.baseAddress, $0.count, &width, &height, &message) }
        try throwSVGFailure(status, name: name, message: message)
        return (width, height)
    }

    /// Reads the SVG file at `url` and renders it into a `side x side` RGBA image (4 channels,
    /// straight alpha) with librsvg: the document's `svgSize` box is scaled proportionally to
    /// fit the square and centred (its `preserveAspectRatio`, by default `xMidYMid meet`), so a
    /// non-square document leaves transparent margins; a square one fills the image. Other
    /// files the SVG refers to are not loaded.
    ///
    /// Errors as `svgSize(data:name:)`, plus `.unreadableFile` when the file cannot be read.
    public static func renderSVG(contentsOf url: URL, side: Int) throws -> Image {
        try renderSVG(data: [UInt8](contents(of: url)), name: url.path, side: side)
    }

    /// `renderSVG(contentsOf:side:)` for an SVG held in memory; `name` goes into errors.
    /// `side` must be in 1 ... `maximumSide` (a programmer error otherwise).
    public static func renderSVG(data: [UInt8], name: String, side: Int) throws -> Image {
        precondition((1...maximumSide).contains(side), "an SVG is rendered at 1 ... \(maximumSide) pixels, got \(side)")
        var rendered = ic_image()
        defer { ic_image_free(&rendered) }
        var message = [CChar](repeating: 0, count: Int(IC_MESSAGE_CAPACITY))
        let status = data.withUnsafeBufferPointer { ic_render_svg($0.baseAddress, $0.count, UInt32(side), &rendered, &message) }
        try throwSVGFailure(status, name: name, message: message)
        let count = side * side * 4
        return Image(width: side, height: side, channels: 4, pixels: Array(UnsafeBufferPointer(start: rendered.pixels, count: count)))
    }

    private static func throwSVGFailure(_ status: Int32, name: String, message: [CChar]) throws {
        let text = string(from: message)
        switch status {
        case IC_OK: return
        case IC_ERR_EMPTY: throw ImageError.emptyFile(path: name)
        case IC_ERR_CORRUPT_SVG: throw ImageError.corruptSVG(path: name, message: text)
        case IC_ERR_UNSUPPORTED: throw ImageError.unsupported(path: name, message: text)
        case IC_ERR_OUT_OF_MEMORY: throw ImageError.outOfMemory(path: name, message: text)
        default: preconditionFailure("SVG rendering returned status \(status) for \(name): \(text)")
        }
    }
}
