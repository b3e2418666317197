import DatasetKit
import Foundation

extension SpecParser {
    static let datasetKinds: [(key: String, value: [String])] = [
        ("synthetic", ["categories", "images_per_category", "image_size", "varying_factors", "relevance_weights",
                       "relevance_bandwidth", "noise_sigma", "background_variation", "max_shift", "colour_mode"]),
        ("image-folder", ["root", "relevance_csv", "triplets_csv"]),
        ("icon-themes", ["themes", "size", "min_themes_per_icon", "max_images_per_category", "same_icon_relevance",
                         "same_context_relevance", "search_directories", "category", "skip_unreadable_svgs"]),
        ("photo-crops", ["packages", "photographs", "crops_per_photograph", "size", "min_scale", "max_scale",
                         "relevance", "crop_seed", "root"]),
    ]

    /// `dataset`: which data and its parameters. Nothing is opened here.
    static func parseDataset(_ value: SpecValue, specPath: String) throws -> DatasetChoice {
        let (kind, map) = try value.kindedMapping(discriminator: "kind", kinds: datasetKinds)
        switch kind {
        case "synthetic":
            return .synthetic(try parseSynthetic(map))
        case "image-folder":
            let root = try resolve(map.required("root").string(), against: specPath)
            let relevance = try map.optional("relevance_csv").map { try resolve($0.string(), against: specPath) }
            let triplets = try map.optional("triplets_csv").map { try resolve($0.string(), against: specPath) }
            return .imageFolder(root: root, relevanceCSV: relevance, tripletsCSV: triplets)
        case "icon-themes":
            return .iconThemes(try parseIconThemes(map, specPath: specPath))
        default:
            return .photoCrops(try parsePhotoCrops(map, specPath: specPath))
        }
    }

    /// A path from the spec: absolute as given, relative against the spec file's directory.
    static func resolve(_ path: String, against specPath: String) -> String {
        if path.hasPrefix("/") { return path }
        let directory = (specPath as NSString).deletingLastPathComponent
        return directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
    }

    static func parseSynthetic(_ map: SpecMapping) throws -> SyntheticConfig {
        var c = SyntheticConfig()
        let families = SyntheticFamily.allCases.count
        c.categories = try map.int("categories", default: c.categories, in: 1...families,
                                   allowed: "an integer in 1...\(families) (one shape family each)")
        c.imagesPerCategory = try map.int("images_per_category", default: c.imagesPerCategory, in: 1...100_000)
        c.imageSize = try map.int("image_size", default: c.imageSize, in: 32...256)
        if let factors = map.optional("varying_factors") {
            let options = LatentFactor.allCases.map { ($0.rawValue, $0) }
            var chosen: [LatentFactor] = []
            for item in try factors.list() {
                let factor = try item.choice(pairs: options)
                if chosen.contains(factor) { throw item.error("'\(factor.rawValue)' is listed twice", allowed: "each factor at most once") }
                chosen.append(factor)
            }
            c.varyingFactors = chosen
        }
        let order = LatentFactor.allCases.map(\.rawValue).joined(separator: ", ")
        c.relevanceWeights = try map.floats("relevance_weights", default: c.relevanceWeights,
                                            allowed: "a number >= 0") { $0 >= 0 }
        if c.relevanceWeights.count != LatentFactor.allCases.count {
            throw map.location("relevance_weights").error(
                "\(c.relevanceWeights.count) weights given",
                allowed: "\(LatentFactor.allCases.count) weights >= 0, in the order \(order)")
        }
        c.relevanceBandwidth = try map.float("relevance_bandwidth", default: c.relevanceBandwidth,
                                             allowed: "a number > 0") { $0 > 0 }
        c.noiseSigma = try map.float("noise_sigma", default: c.noiseSigma, allowed: "a number in 0...0.5") { (0...0.5).contains($0) }
        c.backgroundVariation = try map.float("background_variation", default: c.backgroundVariation,
                                              allowed: "a number in 0...1") { (0...1).contains($0) }
        c.maxShift = try map.float("max_shift", default: c.maxShift,
                                   allowed: "a fraction of the image size in 0...0.1") { (0...0.1).contains($0) }
        c.colourMode = try map.choice("colour_mode", default: c.colourMode,
                                      ["shared-hue": .sharedHue, "grayscale": .grayscale])
        try surfacing(map) { try c.validate() }
        return c
    }

    static func parseIconThemes(_ map: SpecMapping, specPath: String) throws -> IconThemesDataset.Options {
        typealias O = IconThemesDataset.Options
        let themesNode = try map.required("themes")
        var themes: [String] = []
        for item in try themesNode.list(nonEmpty: true) {
            let theme = try item.string()
            if theme.isEmpty || theme.contains("/") || theme.hasPrefix(".") {
                throw item.error("'\(theme)' is not a theme directory name",
                                 allowed: "a directory name under the search directories, e.g. "
                                     + O.recommendedThemes.joined(separator: ", "))
            }
            if O.isReserved(theme) {
                throw item.error("theme '\(theme)' is reserved for an evaluation this project does not see",
                                 allowed: "any theme but " + O.reservedThemes.joined(separator: ", "))
            }
            if themes.contains(theme) { throw item.error("theme '\(theme)' is listed twice", allowed: "each theme once") }
            themes.append(theme)
        }
        let size = try map.int("size", default: O.defaultSize, in: 1...4096)
        let minimum = try map.int("min_themes_per_icon", default: O.defaultMinimumThemesPerIcon, in: 1...Int.max)
        if minimum > themes.count {
            let at = map["min_themes_per_icon"] ?? themesNode
            throw at.error("min_themes_per_icon is \(minimum) but only \(themes.count) theme(s) are listed",
                           allowed: "1...\(themes.count) (the number of themes)")
        }
        let cap = try map.optional("max_images_per_category")?.int(in: 1...Int.max,
                                                                    allowed: "an integer >= 1, or null for no cap")
        let sameContext = try map.float("same_context_relevance", default: O.defaultSameContextRelevance,
                                        allowed: "a number >= 0") { $0 >= 0 }
        let sameIcon = try map.float("same_icon_relevance", default: O.defaultSameIconRelevance,
                                     allowed: "a number above same_context_relevance (\(sameContext))") {
            Float($0) > sameContext
        }
        var directories = O.defaultSearchDirectories
        if let dirs = map.optional("search_directories") {
            directories = try dirs.list(nonEmpty: true).map { try resolve($0.string(), against: specPath) }
        }
        let categories = try map.optional("category")?.choice(
            pairs: IconThemesDataset.CategoryLevel.allCases.map { ($0.rawValue, $0) }) ?? O.defaultCategories
        let skipsUnreadable = try map.bool("skip_unreadable_svgs", default: O.defaultSkipsUnreadableSVGs)
        return O(themes: themes, size: size, minimumThemesPerIcon: minimum, maximumImagesPerCategory: cap,
                 sameIconRelevance: sameIcon, sameContextRelevance: sameContext, searchDirectories: directories,
                 categories: categories, skipsUnreadableSVGs: skipsUnreadable)
    }

    /// `photo-crops`: the photographs (`packages` or `photographs` of `PhotoCatalog`, not
    /// both; all of them by default) and how they are cropped.
    static func parsePhotoCrops(_ map: SpecMapping, specPath: String) throws -> PhotoCropsDataset.Options {
        var photographs = PhotoCatalog.photographs
        if let packagesNode = map.optional("packages") {
            if let other = map["photographs"] {
                throw other.error("give packages or photographs, not both",
                                  allowed: "packages (all their catalog photographs) or photographs (exact picks)")
            }
            var packages: [String] = []
            for item in try packagesNode.list(nonEmpty: true) {
                let package = try item.choice(pairs: PhotoCatalog.packages.map { ($0, $0) })
                if packages.contains(package) { throw item.error("package '\(package)' is listed twice", allowed: "each package once") }
                packages.append(package)
            }
            photographs = photographs.filter { packages.contains($0.package) }
        } else if let photographsNode = map.optional("photographs") {
            let catalog = PhotoCatalog.photographs.map { ($0.identifier, $0) }
            photographs = []
            for item in try photographsNode.list(nonEmpty: true) {
                let photograph = try item.choice(pairs: catalog)
                if photographs.contains(photograph) {
                    throw item.error("photograph '\(photograph.identifier)' is listed twice", allowed: "each photograph once")
                }
                photographs.append(photograph)
            }
        }
        typealias O = PhotoCropsDataset.Options
        let crops = try map.int("crops_per_photograph", default: SpecDefaults.photoCropsPerPhotograph,
                                in: O.minimumCropsPerPhotograph...100_000)
        let size = try map.int("size", default: SpecDefaults.photoCropSize, in: O.allowedSizes)
        let minScale = try map.double("min_scale", default: SpecDefaults.photoCropMinScale,
                                      allowed: "a fraction of the shorter side in (0, 1]") { $0 > 0 && $0 <= 1 }
        let maxScale = try map.double("max_scale", default: SpecDefaults.photoCropMaxScale,
                                      allowed: "a fraction of the shorter side in [min_scale, 1] = [\(minScale), 1]") {
            $0 >= minScale && $0 <= 1
        }
        let relevance = try map.optional("relevance")?.choice(pairs: CropOverlap.allCases.map { ($0.rawValue, $0) })
            ?? SpecDefaults.photoCropRelevance
        let seed = try map.int("crop_seed", default: Int(SpecDefaults.photoCropSeed), in: 0...Int.max)
        let root = try map.optional("root").map { try resolve($0.string(), against: specPath) } ?? SpecDefaults.photoCropRoot
        return O(photographs: photographs, cropsPerPhotograph: crops, size: size, minScale: minScale, maxScale: maxScale,
                 overlap: relevance, cropSeed: UInt64(seed), root: root)
    }
}
