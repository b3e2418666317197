import Foundation
import Imaging

/// One icon kept from a theme: the theme, the icon's normalised context and name, and
/// where the file is.
struct IconFile: Equatable {
    /// How the file is turned into pixels.
    enum Format: Equatable {
        /// Decoded as it is (`size x size` pixels).
        case png
        /// Rendered at the dataset's size.
        case svg
    }

    var theme: String
    var context: String
    /// The file name without `.png` or `.svg`, e.g. `document-open`.
    var name: String
    /// `<theme>/<directory>/<file>`, relative to the search directory: the identifier.
    var identifier: String
    var path: String
    var format: Format
}

/// The icons of one installed theme at one size, read through its `index.theme`: the
/// theme's PNGs drawn at that size, or its SVGs when it has no such PNG.
///
/// A theme is found at `<search directory>/<theme>/index.theme`, the first search directory
/// that has it.
///
/// **PNG.** The directories read are those of `Directories=` whose `Size=` is the requested
/// size and whose `Scale=` is 1, in the listed order (a listed directory that does not exist
/// on disk is skipped, as icon lookup does). In them, a non-hidden entry whose name ends in
/// `.png` (any case) is:
/// - skipped as an *alias* when it is a symbolic link (themes link legacy names such as
///   `gtk-open` to the icon they draw, so the same picture would appear under two names);
/// - skipped as *symbolic* when its name ends in `-symbolic` (a one-colour glyph that
///   toolkits recolour, which PNG themes do not ship at 32 px but SVG themes do);
/// - skipped as *wrongSize* when its PNG header is not `size x size` pixels;
/// - skipped as a *duplicate* when its bytes equal those of an icon kept earlier in the
///   same theme, or its context and name were kept from an earlier directory;
/// - kept otherwise. A file that is not a PNG at all is an error.
///
/// **SVG.** A theme that keeps no PNG this way (Papirus, breeze, Numix, elementary ship
/// only SVG) is read from its `.svg` files instead. The directories read are those with
/// `Scale=` 1 that serve the size by the specification's rule
/// (`IconThemeIndex.Directory.matches(size:)`: `Fixed` at `Size=`, `Scalable` from `MinSize`
/// to `MaxSize`, `Threshold` within `Size ± Threshold`), in the listed order, so an icon
/// found in several of them is kept from the first, as icon lookup picks it. The rules
/// above apply, except that *wrongSize* is a document that is not square
/// (`ImageCodec.svgSize`: its viewBox, else its width and height); the kept SVGs are
/// rendered at `size x size` when decoded. A file that librsvg cannot read is an error, or
/// with `skippingUnreadableSVGs` an *unreadableSVG* exclusion.
///
/// The choice is made per theme, so a theme with PNGs at the size reads as it would without
/// SVG support, and no theme mixes the two.
struct IconThemeScan {
    var icons: [IconFile] = []
    var exclusions: [IconThemesDataset.Exclusion: Int] = [:]

    private let skipsUnreadableSVGs: Bool

    init(theme: String, size: Int, searchDirectories: [String], skippingUnreadableSVGs: Bool = false) throws {
        skipsUnreadableSVGs = skippingUnreadableSVGs
        let candidates = searchDirectories.map { $0 + "/" + theme }
        guard let directory = candidates.first(where: { FileManager.default.fileExists(atPath: $0 + "/index.theme") }) else {
            throw DatasetError.missingIconTheme(theme: theme, debianPackage: IconThemePackages.debianPackage[theme],
                                                searched: candidates)
        }
        let index = try IconThemeIndex(path: directory + "/index.theme")
        let pngDirectories = index.directories.filter { $0.size == size && $0.scale == 1 }
        let svgDirectories = index.directories.filter { $0.scale == 1 && $0.matches(size: size) }
        guard !pngDirectories.isEmpty || !svgDirectories.isEmpty else {
            let sizes = Set(index.directories.filter { $0.scale == 1 }.map(\.size)).sorted()
            throw DatasetError.emptyDataset(path: directory, reason: "index.theme lists no directory of Size=\(size) "
                                            + "(sizes: \(sizes.map(String.init).joined(separator: ", ")))")
        }
        try keep(.png, of: theme, at: size, from: directory, pngDirectories)
        if icons.isEmpty { try keep(.svg, of: theme, at: size, from: directory, svgDirectories) }
        guard !icons.isEmpty else {
            throw DatasetError.emptyDataset(path: directory, reason: "no PNG icon of \(size)x\(size) pixels in the Size=\(size) "
                                            + "directories and no square SVG icon in the directories for size \(size)")
        }
    }

    /// Appends the icons of `format` found in `directories` of the theme at `root`.
    private mutating func keep(_ format: IconFile.Format, of theme: String, at size: Int, from root: String,
                               _ directories: [IconThemeIndex.Directory]) throws {
        let suffix = format == .png ? ".png" : ".svg"
        var keptBytes = Set<[UInt8]>()
        var keptKeys = Set<String>()
        for entry in directories where DirectoryListing.isDirectory(root + "/" + entry.path) {
            let context = IconContext.normalised(entry.context)
            for file in try DirectoryListing.entries(of: root + "/" + entry.path, resolvingLinks: false)
            where !file.isHidden && file.name.lowercased().hasSuffix(suffix) {
                let path = root + "/" + entry.path + "/" + file.name
                guard file.kind == .file else {
                    if file.kind == .symbolicLink { exclusions[.alias, default: 0] += 1 }
                    continue
                }
                let name = String(file.name.dropLast(suffix.count))
                guard !name.hasSuffix("-symbolic") else {
                    exclusions[.symbolic, default: 0] += 1
                    continue
                }
                let bytes = try Self.contents(of: path)
                let drawn: Bool
                do {
                    drawn = try Self.isDrawn(at: size, bytes, format, path: path)
                } catch DatasetError.unreadableImage(_, _) where format == .svg && skipsUnreadableSVGs {
                    exclusions[.unreadableSVG, default: 0] += 1
                    continue
                }
                guard drawn else {
                    exclusions[.wrongSize, default: 0] += 1
                    continue
                }
                let key = context + "/" + name
                guard !keptKeys.contains(key), !keptBytes.contains(bytes) else {
                    exclusions[.duplicate, default: 0] += 1
                    continue
                }
                keptKeys.insert(key)
                keptBytes.insert(bytes)
                icons.append(IconFile(theme: theme, context: context, name: name,
                                      identifier: theme + "/" + entry.path + "/" + file.name, path: path, format: format))
            }
        }
    }

    private static func contents(of path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatasetError.unreadableImage(path: path, reason: "cannot read the file")
        }
        return [UInt8](data)
    }

    /// A PNG whose header says `size x size` pixels, or a square SVG document.
    private static func isDrawn(at size: Int, _ bytes: [UInt8], _ format: IconFile.Format, path: String) throws -> Bool {
        switch format {
        case .png:
            let (width, height) = try pngSize(bytes, path: path)
            return width == size && height == size
        case .svg:
            do {
                let document = try ImageCodec.svgSize(data: bytes, name: path)
                return document.width == document.height
            } catch let error as ImageError {
                throw DatasetError.unreadableImage(path: path, error)
            }
        }
    }

    /// Width and height from a PNG's IHDR chunk (bytes 16..<24, big-endian).
    private static func pngSize(_ bytes: [UInt8], path: String) throws -> (Int, Int) {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 24, bytes.starts(with: signature), bytes[12..<16].elementsEqual("IHDR".utf8) else {
            throw DatasetError.unreadableImage(path: path, reason: "not a PNG file (no PNG signature and IHDR header)")
        }
        func bigEndian(_ offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (bigEndian(16), bigEndian(20))
    }
}
