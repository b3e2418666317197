import DatasetKit
import Foundation

extension Embedding {
    /// The index `deeprank query --index PATH` searches: a folder, embedded now with `model`
    /// (see `embed(folder:with:skipUnreadable:warn:log:)`), or an embeddings file written by
    /// `deeprank embed`, which must come from `model`'s run and row.
    public static func index(at path: String, model: StoredModel, skipUnreadable: Bool = false,
                             warn: (String) -> Void = { _ in }) throws -> Embedding {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DatasetError.missingDirectory(path: path)
        }
        if isDirectory.boolValue {
            return try embed(folder: path, with: model, skipUnreadable: skipUnreadable, warn: warn)
        }
        let stored = try EmbeddingFile.read(path)
        try stored.check(madeWith: model, file: path)
        return stored
    }

    /// The `k` images of this embedding most similar to the image file `image`, which
    /// `model` represents the same way (it need not be in the index).
    public func nearest(toImage image: String, model: StoredModel, k: Int) throws -> [Neighbour] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: image, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw EmbeddingError.missingImage(path: image)
        }
        let url = URL(fileURLWithPath: image)
        let directory = (image as NSString).deletingLastPathComponent
        let single = try ImageTreeDataset(root: directory.isEmpty ? "." : directory, relativePaths: [url.lastPathComponent])
        let query = try model.ranker(for: single)
        return try nearest(to: query.vectors, comparison: query.comparison, k: k)
    }
}
