import Foundation

extension IconThemesDataset.Options {
    /// Every theme installed in `searchDirectories` that a data set may use: the names of the
    /// directories (or links to them) that hold an `index.theme`, reserved themes
    /// (`isReserved`) and hidden names left out, each name once, in UTF-8 byte order. A search
    /// directory that cannot be listed (e.g. does not exist) contributes nothing.
    public static func installedThemes(in searchDirectories: [String] = defaultSearchDirectories) -> [String] {
        var themes = Set<String>()
        for directory in searchDirectories {
            guard let entries = try? DirectoryListing.entries(of: directory, resolvingLinks: true) else { continue }
            for entry in entries where entry.kind == .directory && !entry.isHidden && !isReserved(entry.name)
            && FileManager.default.fileExists(atPath: directory + "/" + entry.name + "/index.theme") {
                themes.insert(entry.name)
            }
        }
        return themes.sorted(by: DirectoryListing.byteOrder)
    }
}
