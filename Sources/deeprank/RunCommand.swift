import ArgumentParser
import Experiments
import Foundation
import RunFile
import TensorKit

/// `deeprank run SPEC`: runs an experiment spec for each seed and writes one HDF5 run file
/// per seed (README.md, "Run files").
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment spec and write one HDF5 run file per seed.",
        discussion: "Writes DIR/seed-<seed>.h5 (DIR defaults to Results/<experiment>). While a seed trains, its run "
            + "file is a checkpoint (status 'running') rewritten every --checkpoint-every steps and after every "
            + "method; running the same command after an interruption (even SIGKILL) resumes from it and keeps "
            + "finished seeds. Refuses, before training anything, when every output is complete or an output "
            + "belongs to another spec (unless --overwrite), or when another run holds its lock file <file>.lock.")

    @Argument(help: "The spec file (YAML, see Experiments/README.md).")
    var spec: String

    @Option(help: "Seeds to run, comma-separated (default: the spec's).")
    var seeds: String?

    @Option(name: .customLong("out"), help: "Output directory (default: Results/<experiment>).")
    var outputDirectory: String?

    @Option(help: "Worker threads (results do not depend on it).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Replace existing run files (and checkpoints) instead of keeping or resuming them.")
    var overwrite = false

    @Option(name: .customLong("checkpoint-every"), help: "Training steps between checkpoints (0: none).")
    var checkpointEvery: Int = RunFileFormat.defaultCheckpointInterval

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if checkpointEvery < 0 { throw ValidationError("--checkpoint-every must be 0 (none) or a number of steps") }
        _ = try parsedSeeds()
    }

    func parsedSeeds() throws -> [UInt64]? {
        guard let seeds else { return nil }
        let parts = seeds.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap(UInt64.init)
        guard values.count == parts.count, !values.isEmpty else {
            throw ValidationError("--seeds must be comma-separated integers >= 0, got '\(seeds)'")
        }
        guard Set(values).count == values.count else { throw ValidationError("--seeds lists a seed twice: '\(seeds)'") }
        return values
    }

    func run() throws {
        Parallel.configure(threads: threads)
        do {
            let parsed = try SpecParser.load(path: spec)
            let bar = ProgressBar()
            let runner = SpecRunner(spec: parsed, seeds: try parsedSeeds(), outputDirectory: outputDirectory,
                                    overwrite: overwrite, commandLine: CommandLine.arguments.joined(separator: " "),
                                    log: bar.log, progress: bar.update, checkpointInterval: checkpointEvery)
            _ = try runner.run()
        } catch {
            let message = error is SpecError || error is RunFileError ? "\(error)" : "\(spec): \(error)"
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw ExitCode.failure
        }
    }
}
