import CHDF5

/// An error from reading or writing an HDF5 file.
///
/// Every case names the file; cases about an object inside the file also name its path
/// inside the file (for example `/methods/deep-ranking/weights/conv1/W`), so a message
/// alone says where to look.
public enum HDF5Error: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or created: it is missing, a directory, unreadable,
    /// truncated or damaged. `reason` is the operating system's or HDF5's own words.
    case cannotOpen(file: String, reason: String)
    /// The file exists but is not an HDF5 file (no HDF5 signature: a text file, an empty file).
    case notHDF5(file: String)
    /// No group, dataset or attribute at `path`.
    case notFound(file: String, path: String)
    /// Something already exists at `path` and the operation would not replace it.
    case alreadyExists(file: String, path: String)
    /// The object at `path` is a group where a dataset was expected, or the reverse.
    case wrongKind(file: String, path: String, expected: String, found: String)
    /// The stored element type cannot be read as the requested type (see `HDF5Scalar`).
    case wrongType(file: String, path: String, expected: String, found: String)
    /// A shape does not hold `count` values: values given for writing do not fill `shape`,
    /// or a buffer or single value was requested from data of another size.
    case shapeMismatch(file: String, path: String, shape: [Int], count: Int)
    /// The file was closed before this operation.
    case closed(file: String)
    /// An HDF5 call failed while doing `operation`; `reason` is HDF5's own message.
    case failed(file: String, path: String, operation: String, reason: String)
    /// An atomic write of `file` failed (`reason` says where and why: a full disk, a folder
    /// that is read-only or gone); its temporary file was removed and `file` is as it was.
    case writeFailed(file: String, reason: String)

    /// The file the error is about.
    public var file: String {
        switch self {
        case .cannotOpen(let file, _), .notHDF5(let file), .notFound(let file, _),
             .alreadyExists(let file, _), .wrongKind(let file, _, _, _),
             .wrongType(let file, _, _, _), .shapeMismatch(let file, _, _, _),
             .closed(let file), .failed(let file, _, _, _), .writeFailed(let file, _):
            return file
        }
    }

    public var description: String {
        switch self {
        case .cannotOpen(let file, let reason):
            return "\(file): cannot open: \(reason)"
        case .notHDF5(let file):
            return "\(file): not an HDF5 file (no HDF5 signature)"
        case .notFound(let file, let path):
            return "\(file): \(path): not found"
        case .alreadyExists(let file, let path):
            return "\(file): \(path): already exists"
        case .wrongKind(let file, let path, let expected, let found):
            return "\(file): \(path): expected a \(expected), found a \(found)"
        case .wrongType(let file, let path, let expected, let found):
            return "\(file): \(path): cannot read \(found) data as \(expected)"
        case .shapeMismatch(let file, let path, let shape, let count):
            return "\(file): \(path): shape \(shape) holds \(shape.reduce(1, *)) values, not \(count)"
        case .closed(let file):
            return "\(file): file is closed"
        case .failed(let file, let path, let operation, let reason):
            return "\(file): \(path): \(operation) failed: \(reason)"
        case .writeFailed(let file, let reason):
            return "\(file): cannot write: \(reason); nothing was written (the file, if there was one, is as it was)"
        }
    }
}

/// Where an operation happens, for error messages: the file and the object path inside it.
struct Location {
    let file: String
    let path: String

    /// An `HDF5Error.failed` carrying HDF5's message for the call that just failed.
    func failed(_ operation: String) -> HDF5Error {
        .failed(file: file, path: path, operation: operation, reason: takeHDF5FailureReason())
    }

    func notFound() -> HDF5Error { .notFound(file: file, path: path) }
}

/// Reads HDF5's error stack for the call that just failed, then clears it.
///
/// The stack runs from the innermost function, where the problem was detected (for example
/// "truncated file: eof = 800, sblock->base_addr = 0, stored_eof = 1400"), out to the API
/// call ("unable to open file"). The message keeps both ends: "outer: inner".
func takeHDF5FailureReason() -> String {
    var messages: [String] = []
    withUnsafeMutablePointer(to: &messages) { messagesPointer in
        _ = H5Ewalk2(hid_t(H5E_DEFAULT), H5E_WALK_UPWARD, { _, entry, clientData in
            guard let entry, let clientData, let description = entry.pointee.desc else { return 0 }
            clientData.assumingMemoryBound(to: [String].self).pointee
                .append(String(cString: description))
            return 0
        }, messagesPointer)
    }
    H5Eclear2(hid_t(H5E_DEFAULT))
    guard let innermost = messages.first.map(systemError(in:)), let outermost = messages.last else {
        return "unknown HDF5 error"
    }
    return innermost == outermost ? innermost : "\(outermost): \(innermost)"
}

/// HDF5's message for a failed system call (`file write failed: time = ..., filename = ...,
/// errno = 28, error message = 'No space left on device', buf = ...`) shortened to what it
/// says: `file write failed: No space left on device (errno 28)`; other messages as they are.
func systemError(in message: String) -> String {
    guard let errnoRange = message.range(of: "errno = "),
          let quoted = message.range(of: "error message = '", range: errnoRange.upperBound..<message.endIndex),
          let end = message[quoted.upperBound...].firstIndex(of: "'") else { return message }
    let number = message[errnoRange.upperBound...].prefix { $0.isNumber }
    let head = message[..<(message.range(of: ":")?.lowerBound ?? message.endIndex)]
    return "\(head): \(message[quoted.upperBound..<end]) (errno \(number))"
}
