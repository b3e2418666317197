import Experiments
import Foundation
import RunFile

/// What a command that takes a spec prints for an error, on standard error: errors that name
/// their file (spec, run file and cluster errors) as they are, any other after the spec's path.
func printSpecCommandError(_ error: Error, spec: String) {
    let named = error is SpecError || error is RunFileError || error is ClusterError
    FileHandle.standardError.write(Data(((named ? "\(error)" : "\(spec): \(error)") + "\n").utf8))
}
