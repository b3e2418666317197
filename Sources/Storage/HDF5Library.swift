import CHDF5
import Foundation

/// Serialises all use of the HDF5 C library.
///
/// HDF5 keeps global state (open-object tables, the error stack, caches). Debian's build is
/// thread-safe, but other builds are not, so every public entry point of this module runs
/// under one process-wide lock: the module may be called from any thread, and calls run one
/// at a time. Hold no expectation of parallel I/O.
enum HDF5Library {
    private static let lock = NSRecursiveLock()

    /// HDF5 must not close files itself when the process exits: a file whose close failed
    /// (a full disk) stays in its tables half closed, and its exit handler then dereferences
    /// freed state and crashes (SIGSEGV in `H5F__close_cb`, seen with libhdf5 1.10.8). Every
    /// file this module writes is closed explicitly (`writeAtomically`), and files open for
    /// reading need no flush, so nothing is lost. Must run before the library's first call.
    private static let noExitHandler: Void = { _ = H5dont_atexit() }()

    /// Runs `body` holding the HDF5 lock, with HDF5's automatic printing of error stacks to
    /// stderr turned off (failures become thrown `HDF5Error`s instead). The error stack is
    /// per thread in thread-safe builds, so printing is turned off on every entry.
    static func serialized<Result>(_ body: () throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        _ = noExitHandler
        H5Eset_auto2(hid_t(H5E_DEFAULT), nil, nil)
        return try body()
    }
}

/// `H5P_DEFAULT`, `H5S_ALL`: HDF5's "use the default" identifier.
let defaultID = hid_t(H5P_DEFAULT)

/// Owns one HDF5 identifier (a dataset, dataspace, datatype, attribute, group or property
/// list, opened for the span of one operation) and closes it in `deinit`.
///
/// Swift keeps a local `Handle` alive across every C call that uses its `id` (calls into C
/// are deinitialisation barriers), so the identifier is valid wherever it is used.
final class Handle {
    let id: hid_t
    private let close: (hid_t) -> herr_t

    /// Takes ownership of `id`, or throws `error()` if HDF5 returned a negative id (failure).
    init(_ id: hid_t, close: @escaping (hid_t) -> herr_t,
         else error: @autoclosure () -> HDF5Error) throws {
        guard id >= 0 else { throw error() }
        self.id = id
        self.close = close
    }

    deinit {
        _ = close(id)
    }
}

/// Throws `error()` if an HDF5 call returned a negative status.
func check(_ status: herr_t, else error: @autoclosure () -> HDF5Error) throws {
    guard status >= 0 else { throw error() }
}

/// An object creation property list (for a group, a dataset or a file's root group) with
/// modification times turned off, so that the same writes give byte-identical files.
func creationPropertiesWithoutTimes(_ propertyClass: hid_t, at location: Location) throws -> Handle {
    let properties = try Handle(H5Pcreate(propertyClass), close: H5Pclose,
                                else: location.failed("create property list"))
    try check(H5Pset_obj_track_times(properties.id, false),
              else: location.failed("turn off modification times"))
    return properties
}
