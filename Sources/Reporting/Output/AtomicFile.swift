import Foundation

/// Writes report outputs so that a reader sees the old files or the new ones, never half of
/// one, and a report is written all or nothing (`writeAll`).
public enum AtomicFile {
    /// Writes one file: the bytes go to `<path>.tmp-<pid>` in the same folder (written in
    /// full and synced), which is then renamed onto `path`. On any failure (a full disk, a
    /// read-only or removed folder) the temporary file is removed, `path` is as it was, and
    /// the error names `path` and the system's reason.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try writeAll([(path, bytes)])
    }

    public static func write(_ text: String, to path: String) throws { try write(Array(text.utf8), to: path) }

    /// Writes every file or none: first each to its temporary file (creating missing folders),
    /// then, once all are on disk, each renamed onto its path, the file it replaces kept aside
    /// until every rename succeeded. On any failure the temporary files and the folders made
    /// are removed and the replaced files put back: the folders hold what they held before.
    public static func writeAll(_ files: [(path: String, bytes: [UInt8])]) throws {
        let suffix = ".tmp-\(getpid())"
        var createdFolders: [String] = []
        var temporaries: [String] = []
        var renamed: [(path: String, aside: String?)] = []
        func rollBack() {
            for (path, aside) in renamed.reversed() {
                if let aside { rename(aside, path) } else { unlink(path) }
            }
            for temporary in temporaries { unlink(temporary) }
            for folder in createdFolders.reversed() { rmdir(folder) }
        }
        do {
            for (path, bytes) in files {
                createdFolders += try makeMissingFolders((path as NSString).deletingLastPathComponent)
                let temporary = path + suffix
                temporaries.append(temporary)
                try writeFully(bytes, to: temporary, for: path)
            }
            for (path, _) in files {
                let aside = path + ".old" + suffix
                let replaces = FileManager.default.fileExists(atPath: path)
                if replaces && link(path, aside) != 0 { throw failure(path, "cannot keep the old file aside") }
                guard rename(path + suffix, path) == 0 else {
                    let error = failure(path, "cannot rename \(path + suffix) onto it")
                    if replaces { unlink(aside) }
                    throw error
                }
                temporaries.removeAll { $0 == path + suffix }
                renamed.append((path, replaces ? aside : nil))
            }
        } catch {
            rollBack()
            throw error
        }
        for case let (_, aside?) in renamed { unlink(aside) }
    }

    /// Creates `path` and its parents.
    public static func makeDirectory(_ path: String) throws { _ = try makeMissingFolders(path) }

    /// Creates the folders of `path` that are missing, outermost first; returns those it made.
    private static func makeMissingFolders(_ path: String) throws -> [String] {
        var missing: [String] = []
        var folder = path
        while !folder.isEmpty && folder != "/" && !FileManager.default.fileExists(atPath: folder) {
            missing.insert(folder, at: 0)
            folder = (folder as NSString).deletingLastPathComponent
        }
        var made: [String] = []
        for folder in missing {
            guard mkdir(folder, 0o755) == 0 || errno == EEXIST else {
                let error = ReportError.cannotWrite(path: folder, reason: "cannot create the folder: \(String(cString: strerror(errno)))")
                for done in made.reversed() { rmdir(done) }
                throw error
            }
            made.append(folder)
        }
        return made
    }

    /// Writes `bytes` to the new file `temporary` in full and syncs it; the error names `path`.
    private static func writeFully(_ bytes: [UInt8], to temporary: String, for path: String) throws {
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw failure(path, "cannot create \(temporary)") }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw failure(path, "cannot write \(temporary)") }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw failure(path, "cannot sync \(temporary)") }
    }

    /// `ReportError.cannotWrite` with the system's reason for the call that just failed.
    private static func failure(_ path: String, _ what: String) -> ReportError {
        .cannotWrite(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
