import Foundation

/// Writes report outputs atomically: the bytes go to `<path>.tmp-<pid>` in the same folder,
/// which is then renamed onto `path`, so a reader sees the old file or the new one, never
/// half of one.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let temporary = "\(path).tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw ReportError.cannotWrite(path: path, reason: "cannot create \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ReportError.cannotWrite(path: path, reason: reason)
        }
    }

    public static func write(_ text: String, to path: String) throws { try write(Array(text.utf8), to: path) }

    /// Creates `path` and its parents.
    public static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ReportError.cannotWrite(path: path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
    }
}
