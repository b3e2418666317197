import ArgumentParser
import Experiments
import Foundation
import TensorKit

/// `deeprank replay RUN.h5...`: re-runs stored runs and proves the bits match.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-run stored runs from their spec and seed; print 'identical' or the first dataset that differs.")

    @Argument(help: "Run files written by `deeprank run`.")
    var runs: [String]

    @Option(help: "Worker threads (the result must not depend on it).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print the runner's progress lines.")
    var verbose = false

    @OptionGroup var isa: ISAOption

    func run() throws {
        isa.apply()
        Parallel.configure(threads: threads)
        var allIdentical = true
        for path in runs {
            let report = try Replay.run(path: path, log: { if verbose { print($0) } })
            if report.identical {
                print("\(path): identical (weights \(report.stored.weights), metrics \(report.stored.metrics))")
            } else {
                allIdentical = false
                let difference = report.firstDifference.map(\.description) ?? "digests differ"
                print("\(path): DIFFERS at \(difference)")
                print("  stored   weights \(report.stored.weights) metrics \(report.stored.metrics)")
                print("  replayed weights \(report.replayed.weights) metrics \(report.replayed.metrics)")
            }
        }
        if !allIdentical { throw ExitCode.failure }
    }
}
