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

    @OptionGroup var seeds: SeedsOption

    @Option(name: .customLong("out"), help: "Output directory (default: Results/<experiment>).")
    var outputDirectory: String?

    @Option(help: "Worker threads (results do not depend on it).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Replace existing run files (and checkpoints) instead of keeping or resuming them.")
    var overwrite = false

    @Option(name: .customLong("checkpoint-every"), help: "Training steps between checkpoints (0: none).")
    var checkpointEvery: Int = RunFileFormat.defaultCheckpointInterval

    @Option(help: "Run only this unit (one sweep value and seed; `deeprank plan` lists them): what a SLURM array task runs.")
    var unit: Int?

    @OptionGroup var isa: ISAOption

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if checkpointEvery < 0 { throw ValidationError("--checkpoint-every must be 0 (none) or a number of steps") }
        if let unit, unit < 0 { throw ValidationError("--unit must be 0 or more, got \(unit)") }
    }

    func run() throws {
        isa.apply()
        Parallel.configure(threads: threads)
        do {
            let parsed = try SpecParser.load(path: spec)
            let bar = ProgressBar()
            let runner = SpecRunner(spec: parsed, seeds: try seeds.parsed(), outputDirectory: outputDirectory,
                                    overwrite: overwrite, commandLine: CommandLine.arguments.joined(separator: " "),
                                    log: bar.log, progress: bar.update, checkpointInterval: checkpointEvery)
            if let unit {
                let plan = WorkPlan(spec: parsed, seeds: try seeds.parsed(), directory: outputDirectory)
                _ = try runner.run(unit: try plan.unit(unit))
            } else {
                _ = try runner.run()
            }
        } catch {
            printSpecCommandError(error, spec: spec)
            throw ExitCode.failure
        }
    }
}
