extension IconThemesDataset {
    /// Which labels an icon-themes data set gives its images as categories. Relevance does
    /// not depend on it.
    public enum CategoryLevel: String, CaseIterable, Equatable, Sendable {
        /// The icon's context (`apps`, `places`, ...): a handful of broad classes, what the
        /// evaluation's "same category" means.
        case context
        /// The icon itself (context and name): one class per icon, drawn by several themes.
        /// A fine-grained labelled set, for classifier pre-training on themes outside the
        /// evaluation (the paper pre-trains on ImageNet's 1,000 classes).
        case icon
    }

    /// What an icon-themes dataset is built from; the spec names these.
    public struct Options: Equatable, Sendable {
        /// Theme directory names under a search directory, e.g. `Tango`, `oxygen` (required,
        /// no repeats, none reserved; their order does not matter: images are ordered by
        /// theme name).
        public var themes: [String]
        /// The icon size in pixels: directories whose `Size=` equals it (and `Scale=` 1)
        /// are read, and PNGs whose header is not `size x size` are skipped.
        public var size: Int
        /// Keep only icon names (within a context) drawn by at least this many of the
        /// themes, so that every image has a positive (same icon, another theme).
        public var minimumThemesPerIcon: Int
        /// At most this many images per context (the category unless `categories` is
        /// `.icon`), if set: whole icon names are kept in the
        /// order of SHA-256("<context>/<name>") while they fit, a fixed pseudo-random order
        /// that depends on no seed, so the cap picks the same icons on every run.
        public var maximumImagesPerCategory: Int?
        /// r(a, b) for the same icon name drawn by two themes (the paper's graded relevance).
        public var sameIconRelevance: Float
        /// r(a, b) for different icon names of the same context; must be below `sameIconRelevance`.
        public var sameContextRelevance: Float
        /// Where themes are looked up, first match wins (the Debian location by default).
        public var searchDirectories: [String]
        /// What an image's category is: its icon's context (the default), or the icon itself.
        public var categories: CategoryLevel
        /// Whether an SVG that librsvg cannot read is skipped (counted as `.unreadableSVG`)
        /// rather than an error. Off by default; for themes that ship a few broken files
        /// (deepin's bloom: 5 of 5,144), which desktops draw without those icons.
        public var skipsUnreadableSVGs: Bool

        /// The themes suggested for experiments: every Debian theme found with PNG icons at
        /// 32 px (see `IconThemePackages`); Tango has no 48 px directories.
        public static let recommendedThemes = ["Tango", "elementary-xfce", "gnome", "mate", "nuoveXT2", "oxygen"]
        public static let defaultSize = 32
        public static let defaultMinimumThemesPerIcon = 2
        public static let defaultSameIconRelevance: Float = 1
        public static let defaultSameContextRelevance: Float = 0.1
        public static let defaultSearchDirectories = ["/usr/share/icons"]
        public static let defaultCategories = CategoryLevel.context
        public static let defaultSkipsUnreadableSVGs = false

        /// Themes no data set here may use, with their variants (`isReserved`): they are kept
        /// for evaluating on designs that nothing was trained or tuned on.
        public static let reservedThemes = ["Moka", "Adwaita", "Faenza"]

        /// Whether `theme` is a reserved theme or a variant of one: its name starts with a
        /// reserved name, ignoring case (`Faenza-Dark`, `adwaita`, `MokaRemix`).
        public static func isReserved(_ theme: String) -> Bool {
            reservedThemes.contains { theme.lowercased().hasPrefix($0.lowercased()) }
        }

        public init(themes: [String], size: Int = defaultSize,
                    minimumThemesPerIcon: Int = defaultMinimumThemesPerIcon, maximumImagesPerCategory: Int? = nil,
                    sameIconRelevance: Float = defaultSameIconRelevance,
                    sameContextRelevance: Float = defaultSameContextRelevance,
                    searchDirectories: [String] = defaultSearchDirectories,
                    categories: CategoryLevel = defaultCategories,
                    skipsUnreadableSVGs: Bool = defaultSkipsUnreadableSVGs) {
            self.themes = themes
            self.size = size
            self.minimumThemesPerIcon = minimumThemesPerIcon
            self.maximumImagesPerCategory = maximumImagesPerCategory
            self.sameIconRelevance = sameIconRelevance
            self.sameContextRelevance = sameContextRelevance
            self.searchDirectories = searchDirectories
            self.categories = categories
            self.skipsUnreadableSVGs = skipsUnreadableSVGs
        }

        /// Throws `DatasetError.invalidParameter` for the first option out of range.
        func validate() throws {
            func invalid(_ name: String, _ value: Any, _ allowed: String) -> DatasetError {
                .invalidParameter(name: name, value: "\(value)", allowed: allowed)
            }
            guard !themes.isEmpty else { throw invalid("themes", themes, "name at least one icon theme") }
            guard Set(themes).count == themes.count else { throw invalid("themes", themes, "each theme at most once") }
            if let bad = themes.first(where: { $0.isEmpty || $0.contains("/") || $0.hasPrefix(".") }) {
                throw invalid("themes", bad, "a theme directory name (not empty, no '/', not hidden)")
            }
            if let reserved = themes.first(where: Self.isReserved) {
                throw invalid("themes", reserved, "a theme other than " + Self.reservedThemes.joined(separator: ", ")
                              + " and their variants (reserved: no data set may use them)")
            }
            guard size > 0 else { throw invalid("size", size, "a positive number of pixels") }
            guard (1...themes.count).contains(minimumThemesPerIcon) else {
                throw invalid("minimumThemesPerIcon", minimumThemesPerIcon, "1 ... the number of themes (\(themes.count))")
            }
            if let cap = maximumImagesPerCategory, cap < 1 {
                throw invalid("maximumImagesPerCategory", cap, "at least 1, or unset for no cap")
            }
            guard sameContextRelevance.isFinite, sameContextRelevance >= 0 else {
                throw invalid("sameContextRelevance", sameContextRelevance, "a finite number >= 0")
            }
            guard sameIconRelevance.isFinite, sameIconRelevance > sameContextRelevance else {
                throw invalid("sameIconRelevance", sameIconRelevance, "a finite number above sameContextRelevance (\(sameContextRelevance))")
            }
            guard !searchDirectories.isEmpty else { throw invalid("searchDirectories", searchDirectories, "at least one directory") }
        }
    }
}
