import Foundation
import Imaging

extension Image {
    /// Decodes a PNG or JPEG file as 8-bit samples; failures become
    /// `DatasetError.unreadableImage(path:reason:)`.
    init(decodingFile path: String) throws {
        do {
            self = try ImageCodec.decode(contentsOf: URL(fileURLWithPath: path))
        } catch let error as ImageError {
            var reason = error.description
            if reason.hasPrefix(error.path + ": ") { reason.removeFirst(error.path.count + 2) }
            throw DatasetError.unreadableImage(path: path, reason: reason)
        }
    }
}

extension PlanarImage {
    /// Decodes a PNG or JPEG file into RGB planes; failures become
    /// `DatasetError.unreadableImage(path:reason:)`.
    init(decodingFile path: String) throws {
        self.init(rgbFrom: try Image(decodingFile: path))
    }
}
