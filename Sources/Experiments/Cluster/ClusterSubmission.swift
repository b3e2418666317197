import Foundation
import RunFile

/// What `deeprank submit` does: finds the units of a plan that are missing or failed, writes
/// the job array script for them (`SbatchScript`), submits it with `sbatch` and records the
/// job in `<out>/slurm/submission.json` (`SubmissionRecord`). Units that are complete,
/// queued or running are left alone, so submitting again resubmits only what needs it; a
/// failed unit's task resumes from its checkpoint. Nothing is written before the checks
/// pass (the folder belongs to this spec, `sbatch` is on PATH), and a rejected submission
/// leaves the folder as it was.
public struct ClusterSubmission {
    public var plan: WorkPlan
    /// The seeds as given (nil: the spec's), passed on to the tasks so their unit indices match.
    public var seeds: [UInt64]?
    public var resources: SlurmResources
    public var checkpointEvery: Int?
    /// The `deeprank` binary the tasks run (absolute).
    public var binary: String
    /// Where the tasks start (absolute): the directory `submit` runs in.
    public var workingDirectory: String
    /// Write the script only.
    public var dryRun: Bool

    public init(plan: WorkPlan, seeds: [UInt64]?, resources: SlurmResources, checkpointEvery: Int?, binary: String,
                workingDirectory: String, dryRun: Bool) {
        self.plan = plan; self.seeds = seeds; self.resources = resources; self.checkpointEvery = checkpointEvery
        self.binary = binary; self.workingDirectory = workingDirectory; self.dryRun = dryRun
    }

    public struct Outcome {
        /// The units submitted (or that the dry-run script would run); empty when none needed it.
        public var units: [Int]
        /// The script written, nil when nothing needed submitting.
        public var script: String?
        /// SLURM's job id (nil for a dry run).
        public var job: String?
        /// Every unit's status before the submission.
        public var statuses: [UnitStatus]
    }

    public func submit() throws -> Outcome {
        let directory = plan.directory
        var record = try SubmissionRecord.load(from: directory)
        if let record {
            guard SpecIdentity.same(record.specText, plan.spec.text), record.seeds == seeds else {
                throw ClusterError.foreignFolder(directory: directory, file: SubmissionRecord.path(in: directory),
                                                 reason: "submitted for experiment '\(record.experiment)' "
                                                    + (record.seeds == seeds ? "with another spec" : "with other --seeds"))
            }
        }
        try Self.checkForeignRunFiles(in: plan)
        let jobs = Set(record?.jobs.map(\.id) ?? [])
        let queue = SlurmCommands.queue(jobs: jobs)
        let statuses = try UnitStatus.inspect(plan, submission: record, queue: queue)
        let units = statuses.filter { $0.state == .missing || $0.state == .failed }.map(\.unit.index)
        guard !units.isEmpty else { return Outcome(units: [], script: nil, job: nil, statuses: statuses) }
        if !dryRun && SlurmCommands.locate("sbatch") == nil { throw ClusterError.commandNotFound(command: "sbatch") }

        let written = ISO8601DateFormatter().string(from: Date())
        let script = SbatchScript(experiment: plan.spec.experiment, units: units, unitCount: plan.units.count, binary: binary,
                                  specPath: plan.spec.path, directory: directory, workingDirectory: workingDirectory,
                                  seeds: seeds, resources: resources, checkpointEvery: checkpointEvery, written: written)
        let path = SbatchScript.path(directory: directory, experiment: plan.spec.experiment)
        let created = try makeFolders()
        let previous = try? Data(contentsOf: URL(fileURLWithPath: path))
        do {
            try Data(script.text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            removeFolders(created)
            throw ClusterError.cannotWrite(file: path, reason: error.localizedDescription)
        }
        if dryRun { return Outcome(units: units, script: path, job: nil, statuses: statuses) }

        let job: String
        do {
            job = try SlurmCommands.submit(script: path)
        } catch {
            // Leave the folder as it was: the previous script (or none).
            if let previous { try? previous.write(to: URL(fileURLWithPath: path), options: .atomic) } else { unlink(path) }
            removeFolders(created)
            throw error
        }
        if record == nil {
            record = SubmissionRecord(experiment: plan.spec.experiment, specPath: plan.spec.path, specText: plan.spec.text,
                                      seeds: seeds)
        }
        record!.jobs.append(.init(id: job, units: units, submitted: written))
        try record!.save(in: directory)
        return Outcome(units: units, script: path, job: job, statuses: statuses)
    }

    /// Creates the output folder, `slurm/` and `slurm/logs/` where missing; returns those it
    /// created, deepest first.
    private func makeFolders() throws -> [String] {
        var created: [String] = []
        for folder in [plan.directory, SubmissionRecord.folder(of: plan.directory), TaskLog.folder(directory: plan.directory)]
        where !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                removeFolders(created.reversed())
                throw RunFileError.cannotCreateDirectory(path: folder, reason: error.localizedDescription)
            }
            created.append(folder)
        }
        return created.reversed()
    }

    private func removeFolders(_ folders: [String]) {
        for folder in folders { rmdir(folder) }
    }

    /// Every run file in the folder or a sweep subfolder must be of this spec (those at a
    /// unit's path are checked further by `UnitStatus`).
    static func checkForeignRunFiles(in plan: WorkPlan) throws {
        let manager = FileManager.default
        let folders = Set([plan.directory] + plan.units.map(\.directory))
        for folder in folders.sorted() {
            for name in (try? manager.contentsOfDirectory(atPath: folder))?.sorted() ?? [] where name.hasSuffix(".h5") {
                let file = folder + "/" + name
                guard let reader = try? RunFileReader(path: file) else { continue }
                let text = (try? reader.specText()) ?? ""
                if !SpecIdentity.same(text, plan.spec.text) {
                    throw ClusterError.foreignFolder(directory: plan.directory, file: file,
                                                     reason: "a run of experiment '\(reader.experiment)' with another spec")
                }
            }
        }
    }
}
