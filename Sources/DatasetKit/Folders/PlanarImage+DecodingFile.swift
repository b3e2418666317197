import Foundation
import Imaging

extension Image {
    /// Decodes a PNG or JPEG file as 8-bit samples; failures become
    /// `DatasetError.unreadableImage(path:reason:)`.
    init(decodingFile path: String) throws {
        do {
            self = try ImageCodec.decode(contentsOf: URL(fileURLWithPath: path))
        } catch let error as ImageError {
            throw DatasetError.unreadableImage(path: path, error)
        }
    }
}

extension PlanarImage {
    /// Decodes a PNG or JPEG file into RGB planes; failures become
    /// `DatasetError.unreadableImage(path:reason:)`.
    init(decodingFile path: String) throws {
        self.init(rgbFrom: try Image(decodingFile: path))
    }

    /// Renders an SVG file at `side x side` pixels (`ImageCodec.renderSVG`: fitted
    /// proportionally and centred) into RGB planes, alpha composited on white; failures become
    /// `DatasetError.unreadableImage(path:reason:)`.
    init(renderingSVGFile path: String, side: Int) throws {
        do {
            self.init(rgbFrom: try ImageCodec.renderSVG(contentsOf: URL(fileURLWithPath: path), side: side))
        } catch let error as ImageError {
            throw DatasetError.unreadableImage(path: path, error)
        }
    }
}

extension DatasetError {
    /// `unreadableImage` for an `ImageError` about `path`, its reason without the path again.
    static func unreadableImage(path: String, _ error: ImageError) -> DatasetError {
        var reason = error.description
        if reason.hasPrefix(error.path + ": ") { reason.removeFirst(error.path.count + 2) }
        return .unreadableImage(path: path, reason: reason)
    }
}
