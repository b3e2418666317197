/// Why a unit could not run, or a spec could not be planned, submitted or shown on a
/// cluster. Every case names the file or command concerned and the problem.
public enum ClusterError: Error, Equatable, CustomStringConvertible {
    /// `--unit` beyond the plan.
    case unitOutOfRange(spec: String, index: Int, count: Int)
    /// A SLURM command is not on PATH.
    case commandNotFound(command: String)
    /// `sbatch` (or another SLURM command) exited with an error; `message` is its standard error.
    case rejected(command: String, script: String, message: String)
    /// A SLURM command printed something we cannot read.
    case unexpectedOutput(command: String, output: String)
    /// The output folder holds run files or a submission of another spec.
    case foreignFolder(directory: String, file: String, reason: String)
    /// `deeprank status` of a folder that no `deeprank submit` made.
    case noSubmission(directory: String, record: String)
    /// The submission record is unreadable.
    case invalidRecord(file: String, reason: String)
    /// A file of the submission could not be written.
    case cannotWrite(file: String, reason: String)

    public var description: String {
        switch self {
        case .unitOutOfRange(let spec, let index, let count):
            return "\(spec): unit \(index) does not exist: the plan has \(count) units, 0 to \(count - 1) (see `deeprank plan`)"
        case .commandNotFound(let command):
            return "\(command): not found on PATH: this machine cannot submit to SLURM (run `deeprank submit` on a login node of the cluster, or use `--dry-run` to write the script only)"
        case .rejected(let command, let script, let message):
            return "\(script): \(command) rejected the submission: \(message.trimmingCharacters(in: .whitespacesAndNewlines))"
        case .unexpectedOutput(let command, let output):
            return "\(command): unexpected output '\(output.trimmingCharacters(in: .whitespacesAndNewlines))'"
        case .foreignFolder(let directory, let file, let reason):
            return "\(directory): holds the output of another spec (\(file): \(reason)); choose another --out"
        case .noSubmission(let directory, let record):
            return "\(directory): no submission record (\(record)); `deeprank submit SPEC --out \(directory)` makes one, and `deeprank plan SPEC --out \(directory)` shows a folder that `deeprank run` made"
        case .invalidRecord(let file, let reason):
            return "\(file): not a readable submission record: \(reason)"
        case .cannotWrite(let file, let reason):
            return "\(file): cannot write: \(reason)"
        }
    }
}
