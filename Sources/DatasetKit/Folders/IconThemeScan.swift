import Foundation

/// One PNG icon kept from a theme: the theme, the icon's normalised context and name, and
/// where the file is.
struct IconFile: Equatable {
    var theme: String
    var context: String
    /// The file name without `.png`, e.g. `document-open`.
    var name: String
    /// `<theme>/<directory>/<file>`, relative to the search directory: the identifier.
    var identifier: String
    var path: String
}

/// The PNG icons of one installed theme at one size, read through its `index.theme`.
///
/// A theme is found at `<search directory>/<theme>/index.theme`, the first search directory
/// that has it. The directories read are those of `Directories=` whose `Size=` is the
/// requested size and whose `Scale=` is 1, in the listed order (a listed directory that
/// does not exist on disk is skipped, as icon lookup does). In them, a non-hidden
/// entry whose name ends in `.png` (any case) is:
/// - skipped as an *alias* when it is a symbolic link (themes link legacy names such as
///   `gtk-open` to the icon they draw, so the same picture would appear under two names);
/// - skipped as *wrongSize* when its PNG header is not `size x size` pixels;
/// - skipped as a *duplicate* when its bytes equal those of an icon kept earlier in the
///   same theme, or its context and name were kept from an earlier directory;
/// - kept otherwise. A file that is not a PNG at all is an error.
/// SVG files are never read: SVG-only themes cannot be used (PNG and JPEG are decoded).
struct IconThemeScan {
    var icons: [IconFile] = []
    var exclusions: [IconThemesDataset.Exclusion: Int] = [:]

    init(theme: String, size: Int, searchDirectories: [String]) throws {
        let candidates = searchDirectories.map { $0 + "/" + theme }
        guard let directory = candidates.first(where: { FileManager.default.fileExists(atPath: $0 + "/index.theme") }) else {
            throw DatasetError.missingIconTheme(theme: theme, debianPackage: IconThemePackages.debianPackage[theme],
                                                searched: candidates)
        }
        let index = try IconThemeIndex(path: directory + "/index.theme")
        let selected = index.directories.filter { $0.size == size && $0.scale == 1 }
        guard !selected.isEmpty else {
            let sizes = Set(index.directories.filter { $0.scale == 1 }.map(\.size)).sorted()
            throw DatasetError.emptyDataset(path: directory, reason: "index.theme lists no directory of Size=\(size) "
                                            + "(sizes: \(sizes.map(String.init).joined(separator: ", ")))")
        }
        var keptBytes = Set<[UInt8]>()
        var keptKeys = Set<String>()
        for entry in selected where DirectoryListing.isDirectory(directory + "/" + entry.path) {
            let context = IconContext.normalised(entry.context)
            for file in try DirectoryListing.entries(of: directory + "/" + entry.path, resolvingLinks: false)
            where !file.isHidden && file.name.lowercased().hasSuffix(".png") {
                let path = directory + "/" + entry.path + "/" + file.name
                guard file.kind == .file else {
                    if file.kind == .symbolicLink { exclusions[.alias, default: 0] += 1 }
                    continue
                }
                let bytes = try Self.contents(of: path)
                let (width, height) = try Self.pngSize(bytes, path: path)
                guard width == size && height == size else { exclusions[.wrongSize, default: 0] += 1; continue }
                let name = String(file.name.dropLast(4))
                let key = context + "/" + name
                guard !keptKeys.contains(key), !keptBytes.contains(bytes) else {
                    exclusions[.duplicate, default: 0] += 1
                    continue
                }
                keptKeys.insert(key)
                keptBytes.insert(bytes)
                icons.append(IconFile(theme: theme, context: context, name: name,
                                      identifier: theme + "/" + entry.path + "/" + file.name, path: path))
            }
        }
        guard !icons.isEmpty else {
            throw DatasetError.emptyDataset(path: directory, reason: "no PNG icon of \(size)x\(size) pixels in the Size=\(size) "
                                            + "directories (SVG-only themes cannot be used)")
        }
    }

    private static func contents(of path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatasetError.unreadableImage(path: path, reason: "cannot read the file")
        }
        return [UInt8](data)
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
