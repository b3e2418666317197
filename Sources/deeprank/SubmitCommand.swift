import ArgumentParser
import Experiments
import Foundation
import RunFile

/// `deeprank submit SPEC`: runs a spec on a SLURM cluster as a job array, one task per unit
/// that is not complete (README, "On a cluster").
struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit the units of a spec that are not complete to SLURM as a job array.",
        discussion: "Writes DIR/slurm/<experiment>.sbatch (one array task per missing or failed unit; task logs in "
            + "DIR/slurm/logs/), submits it with sbatch and prints the job id; DIR/slurm/submission.json records the "
            + "jobs for `deeprank status DIR`. Submitting again submits only the units that are missing or failed; "
            + "a failed unit resumes from its checkpoint. The binary, spec and DIR are written as absolute paths: the "
            + "cluster's nodes must see them at the same paths (a shared file system).")

    @Argument(help: "The spec file (YAML).")
    var spec: String

    @OptionGroup var seeds: SeedsOption

    @Option(name: .customLong("out"), help: "Output directory (default: Results/<experiment>).")
    var outputDirectory: String?

    @Option(help: "SLURM partition (default: the cluster's).")
    var partition: String?

    @Option(help: "Time limit of each task, HH:MM:SS or any form sbatch takes (default: the partition's).")
    var time: String?

    @Option(name: .customLong("cpus-per-task"), help: "CPUs of each task; each unit trains with as many threads.")
    var cpusPerTask: Int = 1

    @Option(help: "Memory of each task, as sbatch's --mem takes it (4G, 8000M; default: the cluster's).")
    var mem: String?

    @Option(name: .customLong("checkpoint-every"), help: "Training steps between checkpoints (default: deeprank run's).")
    var checkpointEvery: Int?

    @Flag(name: .customLong("dry-run"), help: "Write the script only; submit nothing.")
    var dryRun = false

    func validate() throws {
        if cpusPerTask < 1 { throw ValidationError("--cpus-per-task must be at least 1, got \(cpusPerTask)") }
        if let checkpointEvery, checkpointEvery < 0 {
            throw ValidationError("--checkpoint-every must be 0 (none) or a number of steps")
        }
    }

    func run() throws {
        do {
            let manager = FileManager.default
            let parsed = try SpecParser.load(path: Self.absolute(spec))
            let directory = Self.absolute(outputDirectory ?? SpecRunner.defaultDirectory(of: parsed))
            let plan = WorkPlan(spec: parsed, seeds: try seeds.parsed(), directory: directory)
            let submission = ClusterSubmission(
                plan: plan, seeds: try seeds.parsed(),
                resources: SlurmResources(partition: partition, time: time, cpusPerTask: cpusPerTask, memory: mem),
                checkpointEvery: checkpointEvery, binary: Self.executable(), workingDirectory: manager.currentDirectoryPath,
                dryRun: dryRun)
            let outcome = try submission.submit()
            guard let script = outcome.script else {
                print("\(parsed.experiment): nothing to submit: every unit is complete, queued or running")
                print(UnitTable.text(outcome.statuses, directory: directory, showTasks: true))
                return
            }
            let units = SbatchScript.arrayList(outcome.units)
            print("wrote \(script) (\(outcome.units.count) of \(plan.units.count) units: \(units))")
            if let job = outcome.job {
                print("submitted job \(job); follow it with `deeprank status \(directory)`")
            } else {
                print("dry run: nothing submitted (`sbatch \(script)` submits it)")
            }
        } catch {
            printSpecCommandError(error, spec: spec)
            throw ExitCode.failure
        }
    }

    /// `path` made absolute against the current directory.
    static func absolute(_ path: String) -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        return url.standardizedFileURL.path
    }

    /// This program's own file (what the tasks run).
    static func executable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? absolute(CommandLine.arguments[0])
    }
}
