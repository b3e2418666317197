import ArgumentParser
import Foundation

/// The options every `deeprank bench` subcommand takes.
struct BenchOptions: ParsableArguments {
    @Option(help: "Worker threads.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print the figures as JSON.")
    var json = false

    @OptionGroup var isa: ISAOption

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }
}
