import ArgumentParser
import Experiments
import Foundation
import RunFile

/// `deeprank plan SPEC`: lists the units of a spec (sweep value x seed) with their run files
/// and states (README, "On a cluster").
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "List the units of a spec (sweep value x seed): index, run file, state.",
        discussion: "A unit is what `deeprank run SPEC --unit I` runs and what one SLURM array task of `deeprank "
            + "submit` runs. States: missing, queued, running, complete, failed (started and stopped before the end: "
            + "a new run resumes from its checkpoint).")

    @Argument(help: "The spec file (YAML).")
    var spec: String

    @OptionGroup var seeds: SeedsOption

    @Option(name: .customLong("out"), help: "Output directory (default: Results/<experiment>).")
    var outputDirectory: String?

    func run() throws {
        do {
            let parsed = try SpecParser.load(path: spec)
            let plan = WorkPlan(spec: parsed, seeds: try seeds.parsed(), directory: outputDirectory)
            let record = try SubmissionRecord.load(from: plan.directory)
            let queue = SlurmCommands.queue(jobs: Set(record?.jobs.map(\.id) ?? []))
            let statuses = try UnitStatus.inspect(plan, submission: record, queue: queue)
            print(UnitTable.text(statuses, directory: plan.directory, showTasks: record != nil))
        } catch {
            printSpecCommandError(error, spec: spec)
            throw ExitCode.failure
        }
    }
}
