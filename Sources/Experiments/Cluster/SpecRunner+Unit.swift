import Foundation
import RunFile

extension SpecRunner {
    /// Runs one unit of a plan (`deeprank run SPEC --unit I`): its seed of its sweep variant,
    /// into its run file, exactly as a run of the whole spec would (same spec, seed and output,
    /// so the same bits). A unit that is already complete is kept and nothing runs; an
    /// interrupted one resumes from its checkpoint; one whose lock a live run holds is refused
    /// (`RunFileError.locked`), so two tasks never train the same unit. A lock left by a
    /// SLURM task that is no longer queued counts as stale, and so does one left by an
    /// earlier incarnation of this very task (SLURM requeues a task under its old id).
    public func run(unit: WorkUnit) throws -> Outcome? {
        var runner = self
        runner.spec = unit.spec
        runner.seeds = [unit.seed]
        runner.outputDirectory = unit.directory
        runner.lockHolderGone = { holder in
            if let task = holder.slurmTask, task == RunLock.Holder.currentSlurmTask() { return true }
            guard let task = holder.slurmTask, let queue = SlurmCommands.queue(jobs: [String(task.prefix { $0 != "_" })]) else {
                return false
            }
            return queue[task] == nil
        }
        if !overwrite, let reader = try? RunFileReader(path: unit.output), reader.status == .complete,
           (try? Self.isRun(reader, of: unit.spec, seed: unit.seed)) == true {
            log("\(spec.experiment) unit \(unit.index) (\(unit.label)): \(unit.output) is complete; kept")
            return nil
        }
        log("\(spec.experiment) unit \(unit.index) (\(unit.label))")
        return try runner.run().first
    }
}
