import ArgumentParser
import TensorKit

/// `deeprank`: the command-line front of the experiment harness (kept thin: every
/// subcommand calls into a library module).
@main
struct DeepRankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deeprank",
        abstract: "Fine-grained image similarity with deep ranking (Wang et al., CVPR 2014): a reproducible experiment harness.",
        subcommands: [BenchCommand.self])

    static func main() {
        BLASKernelSelection.reexecIfNeeded()
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
