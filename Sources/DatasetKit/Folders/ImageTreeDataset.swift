import Foundation

/// A folder of images searched recursively: what `deeprank embed` and `deeprank query`
/// read, where the torchvision layout of `ImageFolderDataset` is too strict (images may lie
/// at any depth, also directly in the root). Not a spec dataset kind.
///
/// Layout rules:
/// - Images are the non-hidden regular files ending in `.png`, `.jpg` or `.jpeg` (any case)
///   at any depth; other files are ignored. Hidden files and directories (name starting
///   with `.`) are skipped. Symbolic links are followed, except a link to a directory that
///   is already being walked (a cycle), which is skipped.
/// - Order: depth first, the entries of every directory sorted by name in UTF-8 byte order
///   (`DirectoryListing`), so a `root/<category>/<image>` tree gives the order and the
///   identifiers of `ImageFolderDataset`.
/// - Identifiers are the paths relative to `root`, e.g. `cats/persian/001.png`.
/// - Category: the first directory below `root` (`cats`); images directly in `root` form
///   the category `.`. Relevance is 1 inside a category and 0 across: enough for a full
///   `ImageDataset`, but embedding and querying do not use it.
///
/// Images are decoded lazily by `image(at:)`; an unreadable one is
/// `DatasetError.unreadableImage` naming the file.
public struct ImageTreeDataset: ImageDataset {
    public var kind: String { "image-tree" }
    /// The root directory as given.
    public let root: String
    public let categoryNames: [String]
    private let identifiers: [String]
    private let categories: [Int]

    /// The name of the category of images lying directly in `root`.
    public static let rootCategory = "."

    /// Scans `root` recursively. Throws `DatasetError.missingDirectory` when `root` is not a
    /// directory, `.emptyDataset` when it holds no image, and `.unreadableImage` for an
    /// image whose name holds a line break (identifiers are stored newline-joined).
    public init(root: String) throws {
        guard DirectoryListing.isDirectory(root) else { throw DatasetError.missingDirectory(path: root) }
        var found: [String] = []
        try Self.walk(root, relative: "", walking: [Self.resolved(root)], into: &found)
        guard !found.isEmpty else {
            throw DatasetError.emptyDataset(path: root, reason: "no .png, .jpg or .jpeg file at any depth")
        }
        try self.init(root: root, relativePaths: found)
    }

    /// The images `relativePaths` (in that order) below `root`, without scanning: a single
    /// query image, or a scan with its unreadable images left out. Files are not opened
    /// here. Throws `DatasetError.emptyDataset` for an empty list.
    public init(root: String, relativePaths: [String]) throws {
        guard !relativePaths.isEmpty else {
            throw DatasetError.emptyDataset(path: root, reason: "no image given")
        }
        for path in relativePaths where path.contains("\n") {
            throw DatasetError.unreadableImage(path: root + "/" + path,
                                               reason: "the name holds a line break, which image paths cannot")
        }
        var names: [String] = [], indexOfName: [String: Int] = [:], categories: [Int] = []
        for path in relativePaths {
            let components = path.split(separator: "/", omittingEmptySubsequences: true)
            let name = components.count > 1 ? String(components[0]) : Self.rootCategory
            if indexOfName[name] == nil {
                indexOfName[name] = names.count
                names.append(name)
            }
            categories.append(indexOfName[name]!)
        }
        self.root = root
        self.categoryNames = names
        self.identifiers = relativePaths
        self.categories = categories
    }

    /// Appends the images below `directory` (`relative` to the root) to `found`; `walking`
    /// holds the resolved paths of the directories on the way down, to skip link cycles.
    private static func walk(_ directory: String, relative: String, walking: Set<String>,
                             into found: inout [String]) throws {
        for entry in try DirectoryListing.entries(of: directory, resolvingLinks: true) where !entry.isHidden {
            let path = directory + "/" + entry.name
            let relativePath = relative.isEmpty ? entry.name : relative + "/" + entry.name
            switch entry.kind {
            case .directory:
                let real = resolved(path)
                if walking.contains(real) { continue }
                try walk(path, relative: relativePath, walking: walking.union([real]), into: &found)
            case .file:
                let fileExtension = (entry.name as NSString).pathExtension.lowercased()
                if ImageFolderDataset.imageExtensions.contains(fileExtension) { found.append(relativePath) }
            case .symbolicLink, .other:
                continue
            }
        }
    }

    /// `path` with every symbolic link resolved.
    private static func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    public var count: Int { identifiers.count }

    public func category(of index: Int) -> Int { categories[index] }

    public func identifier(of index: Int) -> String { identifiers[index] }

    /// 1 inside a category, 0 across.
    public func relevance(_ a: Int, _ b: Int) -> Float {
        categories[a] == categories[b] ? 1 : 0
    }

    /// Decodes image `index` (RGB planes, gray replicated, alpha composited on white).
    public func image(at index: Int) throws -> PlanarImage {
        try PlanarImage(decodingFile: root + "/" + identifiers[index])
    }
}
