import Foundation
import Imaging

extension PlanarImage {
    /// Decodes a PNG or JPEG file into RGB planes; failures become
    /// `DatasetError.unreadableImage(path:reason:)`.
    init(decodingFile path: String) throws {
        do {
            self.init(rgbFrom: try ImageCodec.decode(contentsOf: URL(fileURLWithPath: path)))
        } catch let error as ImageError {
            var reason = error.description
            if reason.hasPrefix(error.path + ": ") { reason.removeFirst(error.path.count + 2) }
            throw DatasetError.unreadableImage(path: path, reason: reason)
        }
    }
}
