import ArgumentParser
import Foundation
import TensorKit

/// `deeprank`: the command-line front of the experiment harness (kept thin: every
/// subcommand calls into a library module).
@main
struct DeepRankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deeprank",
        abstract: "Fine-grained image similarity with deep ranking (Wang et al., CVPR 2014): a reproducible experiment harness.",
        subcommands: [BenchCommand.self, CheckCommand.self, RunCommand.self, PlanCommand.self, SubmitCommand.self,
                      StatusCommand.self, ReplayCommand.self, ReportCommand.self,
                      CompareCommand.self, EmbedCommand.self, QueryCommand.self])

    static func main() {
        BLASKernelSelection.reexecIfNeeded()
        setvbuf(stdout, nil, _IOLBF, 0)  // progress lines appear as they happen, also in log files
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
