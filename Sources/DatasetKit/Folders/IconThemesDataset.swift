import Crypto
import Foundation

/// The `icon-themes` dataset (README, "Data"): a real fine-grained data set from
/// freedesktop icon themes installed from Debian packages. The same icon name drawn by
/// different designers is the same concept in a different style, the analogue of the
/// paper's images that answer one text query (README, "The paper in brief").
///
/// - An image is one theme's PNG for one icon name at `options.size` (see `IconThemeScan`
///   for which files count); images are `size x size`, decoded with alpha composited on
///   white.
/// - Its category is the icon's context from `index.theme`, normalised (`IconContext`:
///   `apps`, `places`, `actions`, `devices`, `mimetypes`, `status`, ...), or with
///   `options.categories == .icon` the icon itself (`<context>/<name>`, for classifier
///   pre-training). An icon is identified by (context, name): the same name under two
///   contexts is two icons.
/// - Relevance r(a, b) = `sameIconRelevance` (default 1) for the same icon from two
///   themes, `sameContextRelevance` (default 0.1) for different icons of the same
///   category, 0 across categories (so with icons as categories, 0 for any two icons).
/// - Icons drawn by fewer than `minimumThemesPerIcon` of the themes are dropped, then
///   `maximumImagesPerCategory` is applied.
/// - Order: by context, then icon name, then theme name, all in UTF-8 byte order; the
///   order of `options.themes` does not matter. Categories are the contexts (or icons) that
///   keep at least one image, in that order.
/// - Identifiers are `<theme>/<directory>/<file>`, e.g. `Tango/32x32/apps/firefox.png`.
public struct IconThemesDataset: ImageDataset {
    /// Why a PNG found in a theme directory is not an image of the dataset.
    public enum Exclusion: String, CaseIterable, Sendable {
        /// A symbolic link: another name for an icon the theme draws.
        case alias
        /// The PNG header's width or height is not `options.size`, or the SVG is not square.
        case wrongSize
        /// A `-symbolic` icon (Icon Naming Specification): a one-colour glyph that toolkits
        /// recolour to match the text, not a picture of its own.
        case symbolic
        /// Same bytes as, or same context and name as, an icon kept earlier in the theme.
        case duplicate
        /// Its icon is drawn by fewer than `options.minimumThemesPerIcon` themes.
        case tooFewThemes
        /// Its icon did not fit under `options.maximumImagesPerCategory`.
        case overCategoryCap
        /// An SVG that librsvg cannot read, skipped because `options.skipsUnreadableSVGs`
        /// (otherwise it is an error).
        case unreadableSVG
    }

    public var kind: String { "icon-themes" }
    public let options: Options
    public let categoryNames: [String]
    /// How many PNGs were left out, by reason (reasons that did not occur are absent).
    public let exclusions: [Exclusion: Int]
    private let icons: [IconFile]
    private let categories: [Int]
    /// `iconIDs[i]`: the (context, name) of image i as an index; equal means same icon.
    private let iconIDs: [Int]

    /// Reads the themes' `index.theme` files and lists their icons (no image is decoded).
    ///
    /// Throws `DatasetError.invalidParameter` for bad options, `.missingIconTheme` (with the
    /// Debian package to install) for a theme not found, `IconThemeIndexError` for a
    /// malformed `index.theme`, `.unreadableImage` for a `.png` that is not a PNG, and
    /// `.emptyDataset` when a theme has no PNG at the size or no icon survives the filters.
    public init(options: Options) throws {
        try options.validate()
        self.options = options
        var exclusions: [Exclusion: Int] = [:]
        var byIcon: [String: [IconFile]] = [:]
        for theme in options.themes {
            let scan = try IconThemeScan(theme: theme, size: options.size, searchDirectories: options.searchDirectories,
                                         skippingUnreadableSVGs: options.skipsUnreadableSVGs)
            exclusions.merge(scan.exclusions, uniquingKeysWith: +)
            for icon in scan.icons { byIcon[icon.context + "/" + icon.name, default: []].append(icon) }
        }
        var kept: [[IconFile]] = []
        for group in byIcon.values {
            if group.count >= options.minimumThemesPerIcon {
                kept.append(group)
            } else {
                exclusions[.tooFewThemes, default: 0] += group.count
            }
        }
        if let cap = options.maximumImagesPerCategory {
            kept = Self.capped(kept, at: cap, exclusions: &exclusions)
        }
        let images = kept.joined().sorted(by: Self.datasetOrder)
        guard !images.isEmpty else {
            throw DatasetError.emptyDataset(
                path: options.searchDirectories.joined(separator: ", "),
                reason: "no icon of size \(options.size) is drawn by at least \(options.minimumThemesPerIcon) of the themes "
                    + options.themes.joined(separator: ", "))
        }
        var categoryNames: [String] = [], categories: [Int] = [], iconIDs: [Int] = []
        for (i, icon) in images.enumerated() {
            let label = options.categories == .icon ? icon.context + "/" + icon.name : icon.context
            if categoryNames.last != label { categoryNames.append(label) }
            categories.append(categoryNames.count - 1)
            let sameIcon = i > 0 && images[i - 1].context == icon.context && images[i - 1].name == icon.name
            iconIDs.append(sameIcon ? iconIDs[i - 1] : (iconIDs.last ?? -1) + 1)
        }
        self.icons = images
        self.categoryNames = categoryNames
        self.categories = categories
        self.iconIDs = iconIDs
        self.exclusions = exclusions
    }

    public var count: Int { icons.count }

    public func category(of index: Int) -> Int { categories[index] }

    public func identifier(of index: Int) -> String { icons[index].identifier }

    /// The file, its symbolic links resolved: a theme that links another theme's files
    /// (Papirus-Light and Papirus) shares those pictures. Copies of one drawing in two themes
    /// (elementary and elementary-xfce) are two files: keep such themes apart by hand.
    public func origin(of index: Int) -> String {
        URL(fileURLWithPath: icons[index].path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// The theme that drew image `index`.
    public func theme(of index: Int) -> String { icons[index].theme }

    /// The icon name of image `index` (without `.png`), e.g. `document-open`.
    public func iconName(of index: Int) -> String { icons[index].name }

    /// r(a, b): `sameIconRelevance` for the same icon, `sameContextRelevance` for another
    /// icon of the same context, 0 across contexts.
    public func relevance(_ a: Int, _ b: Int) -> Float {
        guard categories[a] == categories[b] else { return 0 }
        return iconIDs[a] == iconIDs[b] ? options.sameIconRelevance : options.sameContextRelevance
    }

    /// Decodes image `index` (a PNG as it is, an SVG rendered at `options.size`): 3 planes of
    /// `size x size`, alpha composited on white.
    public func image(at index: Int) throws -> PlanarImage {
        switch icons[index].format {
        case .png: return try PlanarImage(decodingFile: icons[index].path)
        case .svg: return try PlanarImage(renderingSVGFile: icons[index].path, side: options.size)
        }
    }

    // MARK: - Implementation

    private static func datasetOrder(_ a: IconFile, _ b: IconFile) -> Bool {
        if a.context != b.context { return DirectoryListing.byteOrder(a.context, b.context) }
        if a.name != b.name { return DirectoryListing.byteOrder(a.name, b.name) }
        return DirectoryListing.byteOrder(a.theme, b.theme)
    }

    /// Keeps whole icons per context in the order of SHA-256("<context>/<name>") while the
    /// context's image count stays within `cap`; an icon that does not fit is skipped and
    /// later (smaller) ones may still fit.
    private static func capped(_ groups: [[IconFile]], at cap: Int, exclusions: inout [Exclusion: Int]) -> [[IconFile]] {
        func key(_ group: [IconFile]) -> [UInt8] { Array(SHA256.hash(data: Data((group[0].context + "/" + group[0].name).utf8))) }
        let ordered = groups.map { (key: key($0), group: $0) }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        var used: [String: Int] = [:]
        var kept: [[IconFile]] = []
        for (_, group) in ordered {
            let context = group[0].context
            if used[context, default: 0] + group.count <= cap {
                used[context, default: 0] += group.count
                kept.append(group)
            } else {
                exclusions[.overCategoryCap, default: 0] += group.count
            }
        }
        return kept
    }
}
