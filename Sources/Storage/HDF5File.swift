import CHDF5
import Foundation

/// An open HDF5 file. Owns the HDF5 file identifier and closes it in `deinit`.
///
/// Files are written in HDF5's oldest compatible format, readable by h5py and h5dump, with
/// object modification times turned off: the same writes give byte-identical files.
///
/// Threads: every call takes one process-wide lock around the HDF5 C library, so the module
/// may be used from any thread, but calls run one at a time (HDF5 is not built for parallel
/// use).
///
///     try HDF5File.writeAtomically(to: "run.h5") { root in
///         try root.write(weights, shape: [64, 3, 8, 8], to: "methods/ranking/weights/conv1/W")
///         try root.setAttribute("format", to: "deeprank-run")
///     }
///     let file = try HDF5File(reading: "run.h5")
///     let (values, shape) = try file.root.read(Float.self, from: "methods/ranking/weights/conv1/W")
public final class HDF5File {
    /// The path the file was opened with.
    public let path: String
    /// The HDF5 identifier, or nil once closed.
    private var id: hid_t?

    /// Creates a file. With `truncate`, an existing file at `path` is replaced; without,
    /// an existing file is an error (`HDF5Error.alreadyExists`).
    public convenience init(creating path: String, truncate: Bool = true) throws {
        let id = try HDF5Library.serialized { try Self.create(path, truncate: truncate) }
        self.init(path: path, id: id)
    }

    /// Opens an existing file read-only.
    public convenience init(reading path: String) throws {
        let id = try HDF5Library.serialized { try Self.open(path, flags: deeprank_H5F_ACC_RDONLY()) }
        self.init(path: path, id: id)
    }

    /// Opens an existing file for reading and writing.
    public convenience init(updating path: String) throws {
        let id = try HDF5Library.serialized { try Self.open(path, flags: deeprank_H5F_ACC_RDWR()) }
        self.init(path: path, id: id)
    }

    private init(path: String, id: hid_t) {
        self.path = path
        self.id = id
    }

    deinit {
        if let id {
            HDF5Library.serialized { _ = H5Fclose(id) }
        }
    }

    /// The root group, `/`.
    public var root: HDF5Group { HDF5Group(file: self, path: "/") }

    /// Whether `close()` has not been called yet.
    public var isOpen: Bool { id != nil }

    /// Writes everything buffered so far to the operating system.
    public func flush() throws {
        try HDF5Library.serialized {
            try check(H5Fflush(try openID(), H5F_SCOPE_GLOBAL),
                      else: Location(file: path, path: "/").failed("flush"))
        }
    }

    /// Closes the file, writing everything buffered. Closing twice does nothing. Groups and
    /// datasets of a closed file throw `HDF5Error.closed` when used.
    public func close() throws {
        try HDF5Library.serialized {
            guard let id else { return }
            self.id = nil
            try check(H5Fclose(id), else: Location(file: path, path: "/").failed("close"))
        }
    }

    /// The open file's identifier; call while holding the HDF5 lock.
    func openID() throws -> hid_t {
        guard let id else { throw HDF5Error.closed(file: path) }
        return id
    }

    /// Writes a file so that no reader ever sees it half written.
    ///
    /// `body` fills the root group of a new file named `path + ".tmp-<pid>"` in the same
    /// directory; the file is then closed, synced to disk and renamed onto `path` (rename is
    /// atomic within a directory). If `body` or any step throws (a full disk, a read-only or
    /// removed folder), the temporary file is removed, `path` is left as it was, and the error
    /// is rethrown as `HDF5Error.writeFailed` about `path`.
    public static func writeAtomically(to path: String, _ body: (HDF5Group) throws -> Void) throws {
        let temporaryPath = "\(path).tmp-\(getpid())"
        do {
            let file = try HDF5File(creating: temporaryPath, truncate: true)
            do {
                try body(file.root)
                try file.close()
            } catch {
                try? file.close()
                throw error
            }
            try syncToDisk(temporaryPath)
            guard rename(temporaryPath, path) == 0 else {
                throw HDF5Error.failed(file: path, path: "/", operation: "rename from \(temporaryPath)",
                                       reason: String(cString: strerror(errno)))
            }
        } catch {
            unlink(temporaryPath)
            throw writeFailure(error, path: path, temporaryPath: temporaryPath)
        }
    }

    /// A failed atomic write as `HDF5Error.writeFailed` about `path` (not its temporary file),
    /// keeping where inside the file it failed and why.
    private static func writeFailure(_ error: Error, path: String, temporaryPath: String) -> Error {
        guard let error = error as? HDF5Error, error.file == temporaryPath || error.file == path else { return error }
        switch error {
        case .failed(_, let inner, let operation, let reason):
            return HDF5Error.writeFailed(file: path, reason: "\(inner): \(operation) failed: \(reason)")
        case .cannotOpen(_, let reason):
            return HDF5Error.writeFailed(file: path, reason: "cannot create \(temporaryPath): \(reason)")
        case .writeFailed:
            return error
        default:
            return HDF5Error.writeFailed(file: path, reason: error.description)
        }
    }

    // MARK: - Opening

    private static func create(_ path: String, truncate: Bool) throws -> hid_t {
        if !truncate && FileManager.default.fileExists(atPath: path) {
            throw HDF5Error.alreadyExists(file: path, path: "/")
        }
        let location = Location(file: path, path: "/")
        let fileCreation = try creationPropertiesWithoutTimes(deeprank_H5P_FILE_CREATE(), at: location)
        let access = try strongCloseAccess(at: location)
        let flags = truncate ? deeprank_H5F_ACC_TRUNC() : deeprank_H5F_ACC_EXCL()
        let id = H5Fcreate(path, flags, fileCreation.id, access.id)
        guard id >= 0 else {
            throw HDF5Error.cannotOpen(file: path, reason: "cannot create: \(takeHDF5FailureReason())")
        }
        return id
    }

    private static func open(_ path: String, flags: UInt32) throws -> hid_t {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw HDF5Error.cannotOpen(file: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw HDF5Error.cannotOpen(file: path, reason: "is a directory")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw HDF5Error.cannotOpen(file: path, reason: "permission denied")
        }
        let signature = H5Fis_hdf5(path)
        if signature == 0 { throw HDF5Error.notHDF5(file: path) }
        if signature < 0 {
            throw HDF5Error.cannotOpen(file: path, reason: takeHDF5FailureReason())
        }
        let access = try strongCloseAccess(at: Location(file: path, path: "/"))
        let id = H5Fopen(path, flags, access.id)
        guard id >= 0 else {
            throw HDF5Error.cannotOpen(file: path, reason: takeHDF5FailureReason())
        }
        return id
    }

    /// File access properties under which closing the file closes it for real. This module
    /// keeps no object open between calls, so nothing is cut off.
    private static func strongCloseAccess(at location: Location) throws -> Handle {
        let access = try Handle(H5Pcreate(deeprank_H5P_FILE_ACCESS()), close: H5Pclose,
                                else: location.failed("create file access properties"))
        try check(H5Pset_fclose_degree(access.id, H5F_CLOSE_STRONG),
                  else: location.failed("set file close degree"))
        return access
    }

    /// Flushes the file's data from the operating system's cache to the disk, so that the
    /// rename never exposes a file whose contents are still in flight.
    private static func syncToDisk(_ path: String) throws {
        let descriptor = Glibc.open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw HDF5Error.cannotOpen(file: path, reason: String(cString: strerror(errno)))
        }
        defer { Glibc.close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw HDF5Error.failed(file: path, path: "/", operation: "fsync",
                                   reason: String(cString: strerror(errno)))
        }
    }
}
