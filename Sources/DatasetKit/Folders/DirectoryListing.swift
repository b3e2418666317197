import Foundation

/// What a directory holds, for the folder-based datasets: names sorted in a
/// locale-independent byte order (UTF-8 bytes, which is Unicode code point order and the
/// order of Python's `sorted(os.listdir(...))`, so torchvision's ImageFolder agrees).
struct DirectoryEntry: Equatable {
    enum Kind: Equatable { case directory, file, symbolicLink, other }

    var name: String
    /// What the entry is; a symbolic link is reported as the kind of its target, unless
    /// `DirectoryListing.entries(of:resolvingLinks:)` was told not to resolve links.
    var kind: Kind
    /// Names starting with `.` are hidden.
    var isHidden: Bool { name.hasPrefix(".") }
}

enum DirectoryListing {
    /// Whether `a` sorts before `b` in UTF-8 byte order.
    static func byteOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Whether `path` exists and is a directory (following symbolic links).
    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The entries of the directory at `path`, sorted by name in byte order.
    ///
    /// With `resolvingLinks` a symbolic link takes the kind of its target (a dangling link
    /// is `.other`); without it, a link is `.symbolicLink`.
    static func entries(of path: String, resolvingLinks: Bool) throws -> [DirectoryEntry] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw DatasetError.missingDirectory(path: path)
        }
        return names.sorted(by: byteOrder).map { name in
            DirectoryEntry(name: name, kind: kind(of: path + "/" + name, resolvingLinks: resolvingLinks))
        }
    }

    private static func kind(of path: String, resolvingLinks: Bool) -> DirectoryEntry.Kind {
        var status = stat()
        guard (resolvingLinks ? stat(path, &status) : lstat(path, &status)) == 0 else { return .other }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }
}
