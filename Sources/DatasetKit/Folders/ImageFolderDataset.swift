import Foundation
import Imaging

/// The `image-folder` dataset (README, "Data"): `root/<category>/<file>` in the
/// torchvision ImageFolder convention, with optional graded relevance and evaluation
/// triplets from CSV files (the paper's relevance r(i, j) and evaluation triplets; README,
/// "The paper in brief").
///
/// Layout rules:
/// - Every non-hidden directory directly under `root` is a category, named by the
///   directory; files directly under `root` are ignored (the CSV files may live there).
/// - A category's images are its non-hidden regular files ending in `.png`, `.jpg` or
///   `.jpeg` (any case); other files are ignored. A non-hidden subdirectory inside a
///   category is an error: torchvision walks into it, so ignoring it would silently give a
///   different dataset. Symbolic links are followed, as torchvision does.
/// - Categories and files are sorted by name in UTF-8 byte order (locale-independent;
///   Python's `sorted()` order). Images are indexed category by category in that order.
/// - Identifiers are the paths relative to `root`, e.g. `cats/001.png`.
///
/// Relevance r(a, b): 0 across categories; inside a category the score from the relevance
/// CSV when the pair is listed there, else 1. See `ImageFolderDataset+CSV.swift` for the
/// CSV formats. Images are decoded lazily by `image(at:)` through `ImageCodec`.
public struct ImageFolderDataset: ImageDataset {
    /// The file extensions that make an image (compared in lower case).
    public static let imageExtensions: Set<String> = ["png", "jpg", "jpeg"]
    /// Relevance inside a category for a pair the relevance CSV does not list.
    public static let defaultWithinCategoryRelevance: Float = 1

    public var kind: String { "image-folder" }
    /// The root directory as given.
    public let root: String
    public let categoryNames: [String]
    /// `identifiers[i]`: image i's path relative to `root`.
    private let identifiers: [String]
    private let categories: [Int]
    /// Scores from the relevance CSV, for pairs inside a category.
    private let listedRelevance: [ImagePair: Float]
    public let providedEvaluationTriplets: [Triplet]?

    /// Scans `root` and reads the optional CSV files (paths used as given).
    ///
    /// Throws `DatasetError.missingDirectory` when `root` is not a directory,
    /// `.emptyDataset` when it has no category or a category has no image, `.badCSV` and
    /// `.unknownImage` for CSV problems (with the file and 1-based line).
    public init(root: String, relevanceCSV: String? = nil, tripletsCSV: String? = nil) throws {
        guard DirectoryListing.isDirectory(root) else { throw DatasetError.missingDirectory(path: root) }
        var categoryNames: [String] = [], identifiers: [String] = [], categories: [Int] = []
        for entry in try DirectoryListing.entries(of: root, resolvingLinks: true)
        where entry.kind == .directory && !entry.isHidden {
            let files = try Self.imageFiles(inCategory: root + "/" + entry.name)
            categories += Array(repeating: categoryNames.count, count: files.count)
            identifiers += files.map { entry.name + "/" + $0 }
            categoryNames.append(entry.name)
        }
        guard !categoryNames.isEmpty else {
            throw DatasetError.emptyDataset(path: root, reason: "no category subdirectories (expected root/<category>/<image>.png|jpg)")
        }
        self.root = root
        self.categoryNames = categoryNames
        self.identifiers = identifiers
        self.categories = categories
        let index = Dictionary(uniqueKeysWithValues: identifiers.enumerated().map { ($1, $0) })
        listedRelevance = try relevanceCSV.map { try Self.readRelevance(path: $0, index: index, categories: categories) } ?? [:]
        providedEvaluationTriplets = try tripletsCSV.map { try Self.readTriplets(path: $0, index: index) }
    }

    /// The image file names of one category directory, sorted in byte order.
    private static func imageFiles(inCategory path: String) throws -> [String] {
        var files: [String] = []
        for entry in try DirectoryListing.entries(of: path, resolvingLinks: true) where !entry.isHidden {
            switch entry.kind {
            case .directory:
                throw DatasetError.emptyDataset(
                    path: path + "/" + entry.name,
                    reason: "a directory inside a category; nested directories are not read (torchvision "
                        + "would read them), so move its images up into the category or out of root")
            case .file:
                let fileExtension = (entry.name as NSString).pathExtension.lowercased()
                if imageExtensions.contains(fileExtension) { files.append(entry.name) }
            case .symbolicLink, .other:
                continue
            }
        }
        guard !files.isEmpty else {
            throw DatasetError.emptyDataset(path: path, reason: "the category has no .png, .jpg or .jpeg file")
        }
        return files
    }

    public var count: Int { identifiers.count }

    public func category(of index: Int) -> Int { categories[index] }

    public func identifier(of index: Int) -> String { identifiers[index] }

    /// The file, with its symbolic links resolved and its path made absolute: two folders
    /// that hold the same file share it, whatever their roots.
    public func origin(of index: Int) -> String {
        URL(fileURLWithPath: root + "/" + identifiers[index]).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// r(a, b): 0 across categories, the CSV score when listed, else
    /// `defaultWithinCategoryRelevance`.
    public func relevance(_ a: Int, _ b: Int) -> Float {
        guard categories[a] == categories[b] else { return 0 }
        return listedRelevance[ImagePair(a, b)] ?? Self.defaultWithinCategoryRelevance
    }

    /// Decodes image `index` (RGB planes, gray replicated, alpha composited on white).
    /// A decode failure is `DatasetError.unreadableImage` naming the file.
    public func image(at index: Int) throws -> PlanarImage {
        try PlanarImage(decodingFile: root + "/" + identifiers[index])
    }
}
