/// Why a run file could not be read, or a run could not start. Every case names the file.
public enum RunFileError: Error, Equatable, CustomStringConvertible {
    /// The HDF5 file has no `format` attribute, or another format.
    case notARunFile(file: String, found: String?)
    /// `format_version` is not one this program reads.
    case unsupportedVersion(file: String, version: Int64, supported: Int64)
    /// A group, dataset or attribute that the format version requires is missing.
    case missing(file: String, path: String)
    /// Something is present but wrong (a bad status, a shape that does not fit).
    case invalid(file: String, path: String, reason: String)
    /// The output exists and `--overwrite` was not given.
    case outputExists(file: String)
    /// Another run holds `<file>.lock`; `holder` is what the lock file says (`PID HOST`).
    case locked(file: String, lock: String, holder: String)
    /// The lock file could not be created or read.
    case cannotLock(file: String, lock: String, reason: String)
    /// The output directory could not be created.
    case cannotCreateDirectory(path: String, reason: String)
    /// A `running` run file cannot be continued by this run (another spec, seed or data).
    case cannotResume(file: String, reason: String)
    /// The run file holds an interrupted run (status `running`), not results.
    case notComplete(file: String)
    /// Writing the run file (a checkpoint or the final file) failed: a full disk, a folder
    /// that is read-only or gone. Nothing was written: the file is as it was.
    case cannotWrite(file: String, reason: String)

    public var description: String {
        switch self {
        case .notARunFile(let file, let found):
            return "\(file): not a run file (root attribute format is \(found.map { "'\($0)'" } ?? "missing"), expected '\(RunFileFormat.name)')"
        case .unsupportedVersion(let file, let version, let supported):
            return "\(file): run file format version \(version) is not supported (this program reads version \(supported))"
        case .missing(let file, let path):
            return "\(file): \(path): missing (required by run file format version \(RunFileFormat.version))"
        case .invalid(let file, let path, let reason):
            return "\(file): \(path): \(reason)"
        case .outputExists(let file):
            return "\(file): already exists; give --overwrite to replace it"
        case .locked(let file, let lock, let holder):
            return "\(file): another run is writing it (lock file \(lock) held by \(holder.isEmpty ? "a process that is starting" : "process \(holder)"))"
        case .cannotLock(let file, let lock, let reason):
            return "\(file): cannot create the lock file \(lock): \(reason)"
        case .cannotCreateDirectory(let path, let reason):
            return "\(path): cannot create the output directory: \(reason)"
        case .cannotResume(let file, let reason):
            return "\(file): holds an interrupted run that this command cannot resume: \(reason); "
                + "give --overwrite to start it again"
        case .notComplete(let file):
            return "\(file): holds an interrupted run (status 'running'); run the same command again to resume it"
        case .cannotWrite(let file, let reason):
            return "\(file): cannot write the run file: \(reason). Nothing was written: the file is as it was "
                + "(if it holds a checkpoint, free space or fix the folder and run the same command again to resume from it)"
        }
    }
}
