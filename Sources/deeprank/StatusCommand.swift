import ArgumentParser
import Experiments
import Foundation
import RunFile

/// `deeprank status DIR`: every unit of a submitted folder, its state, the SLURM task that
/// holds or last ran it, the step its checkpoint reached and why a failed unit stopped.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the state of every unit of a folder that `deeprank submit` made.",
        discussion: "Reads DIR/slurm/submission.json, the run files and their lock files, and asks squeue which tasks "
            + "are pending or running. With --wait, shows the table again every --interval seconds until no unit is "
            + "queued or running, and exits non-zero unless every unit is complete.")

    @Argument(help: "The output folder given to `deeprank submit --out`.")
    var directory: String

    @Flag(help: "Wait until no unit is queued or running.")
    var wait = false

    @Option(help: "Seconds between looks while waiting.")
    var interval: Double = 10

    func validate() throws {
        if !(interval > 0) { throw ValidationError("--interval must be a number of seconds > 0") }
    }

    func run() throws {
        do {
            let directory = SubmitCommand.absolute(self.directory)
            guard let record = try SubmissionRecord.load(from: directory) else {
                throw ClusterError.noSubmission(directory: directory, record: SubmissionRecord.path(in: directory))
            }
            let spec = try SpecParser.parse(text: record.specText, path: record.specPath)
            let plan = WorkPlan(spec: spec, seeds: record.seeds, directory: directory)
            while true {
                let queue = SlurmCommands.queue(jobs: Set(record.jobs.map(\.id)))
                let statuses = try UnitStatus.inspect(plan, submission: record, queue: queue)
                let active = statuses.contains { $0.state == .queued || $0.state == .running }
                if !wait || !active {
                    print(UnitTable.text(statuses, directory: directory, showTasks: true))
                    if queue == nil { print("(squeue is not on PATH here: states come from the files alone)") }
                    if wait && statuses.contains(where: { $0.state != .complete }) { throw ExitCode.failure }
                    return
                }
                usleep(useconds_t(interval * 1_000_000))
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            FileHandle.standardError.write(Data(("\(error)\n").utf8))
            throw ExitCode.failure
        }
    }
}
