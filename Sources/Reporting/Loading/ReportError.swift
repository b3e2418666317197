/// Why a report or a comparison could not be made. Every case names the file or folder;
/// run files that cannot be read throw the reader's own errors (`RunFileError`,
/// `HDF5Error`), which name the file too.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    /// A path given on the command line does not exist.
    case noSuchInput(path: String)
    /// The inputs hold no run file.
    case noRunFiles(paths: [String])
    /// Two run files claim the same experiment, sweep value and seed.
    case duplicateRun(experiment: String, seed: UInt64, files: [String])
    /// A stored value the report cannot use (a per-triplet outcome that is not 0, 0.5 or 1).
    case invalidValue(file: String, path: String, reason: String)
    /// An output could not be written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .noSuchInput(let path):
            return "\(path): no such file or directory"
        case .noRunFiles(let paths):
            return "\(paths.joined(separator: ", ")): no run files (*.h5) found"
        case .duplicateRun(let experiment, let seed, let files):
            return "\(files.joined(separator: ", ")): more than one run file for experiment \(experiment), seed \(seed); "
                + "report them separately"
        case .invalidValue(let file, let path, let reason):
            return "\(file): \(path): \(reason)"
        case .cannotWrite(let path, let reason):
            return "\(path): cannot write: \(reason)"
        }
    }
}
