import Foundation

/// The SLURM resources a submission asks for (`deeprank submit`'s options); nil leaves a
/// setting to the cluster's defaults.
public struct SlurmResources: Equatable, Sendable {
    public var partition: String?
    /// `HH:MM:SS` or any form sbatch's `--time` takes.
    public var time: String?
    /// CPUs per task: each unit trains with this many threads.
    public var cpusPerTask: Int
    /// sbatch's `--mem` (`4G`, `8000M`).
    public var memory: String?

    public init(partition: String? = nil, time: String? = nil, cpusPerTask: Int = 1, memory: String? = nil) {
        self.partition = partition; self.time = time; self.cpusPerTask = cpusPerTask; self.memory = memory
    }
}

/// The batch script `deeprank submit` writes to `<out>/slurm/<experiment>.sbatch`: a job
/// array whose task ids are the unit indices to run, each task running
/// `deeprank run SPEC --unit $SLURM_ARRAY_TASK_ID` with as many threads as it has CPUs. The
/// binary, spec, output folder and working directory are absolute paths, because the tasks
/// run on other machines that share the file system (README, "On a cluster").
public struct SbatchScript: Equatable, Sendable {
    public var experiment: String
    /// Unit indices, ascending.
    public var units: [Int]
    public var unitCount: Int
    public var binary: String
    public var specPath: String
    public var directory: String
    /// The directory the tasks start in (`--chdir`): where `submit` ran, so that relative
    /// paths in the spec and the run's recorded git commit are the same as a local run's.
    public var workingDirectory: String
    public var seeds: [UInt64]?
    public var resources: SlurmResources
    public var checkpointEvery: Int?
    /// ISO 8601 UTC, in the script's header.
    public var written: String

    public init(experiment: String, units: [Int], unitCount: Int, binary: String, specPath: String, directory: String,
                workingDirectory: String, seeds: [UInt64]?, resources: SlurmResources, checkpointEvery: Int?,
                written: String) {
        self.experiment = experiment; self.units = units; self.unitCount = unitCount; self.binary = binary
        self.specPath = specPath; self.directory = directory; self.workingDirectory = workingDirectory
        self.seeds = seeds; self.resources = resources; self.checkpointEvery = checkpointEvery; self.written = written
    }

    /// `<out>/slurm/<experiment>.sbatch`.
    public static func path(directory: String, experiment: String) -> String {
        SubmissionRecord.folder(of: directory) + "/\(experiment).sbatch"
    }

    /// sbatch's `--array` list: `0-3,5,7-8`.
    public static func arrayList(_ units: [Int]) -> String {
        var ranges: [(first: Int, last: Int)] = []
        for unit in units.sorted() {
            if let range = ranges.last, unit == range.last + 1 { ranges[ranges.count - 1].last = unit } else { ranges.append((unit, unit)) }
        }
        return ranges.map { $0.first == $0.last ? "\($0.first)" : "\($0.first)-\($0.last)" }.joined(separator: ",")
    }

    public var text: String {
        var lines = [
            "#!/bin/bash",
            "# deeprank: experiment '\(experiment)', \(units.count) of its \(unitCount) units (sweep value x seed) that are",
            "# not complete, one array task per unit; the task id is the unit index (`deeprank plan` lists them).",
            "# Written by `deeprank submit` at \(written). Run `deeprank status \(directory)` to follow it; run",
            "# `deeprank submit` again to resubmit the units that are missing or failed (they resume from their",
            "# checkpoints).",
            "#SBATCH --job-name=deeprank-\(experiment)",
            "#SBATCH --array=\(Self.arrayList(units))",
            "#SBATCH --ntasks=1",
            "#SBATCH --cpus-per-task=\(resources.cpusPerTask)",
        ]
        if let partition = resources.partition { lines.append("#SBATCH --partition=\(partition)") }
        if let time = resources.time { lines.append("#SBATCH --time=\(time)") }
        if let memory = resources.memory { lines.append("#SBATCH --mem=\(memory)") }
        lines += [
            "#SBATCH --output=\(TaskLog.pattern(directory: directory))",
            "#SBATCH --chdir=\(workingDirectory)",
            "set -euo pipefail",
        ]
        var command = [Self.quoted(binary), "run", Self.quoted(specPath), "--out", Self.quoted(directory)]
        if let seeds { command += ["--seeds", seeds.map(String.init).joined(separator: ",")] }
        command += ["--unit", "\"$SLURM_ARRAY_TASK_ID\"", "--threads", "\"${SLURM_CPUS_PER_TASK:-\(resources.cpusPerTask)}\""]
        if let checkpointEvery { command += ["--checkpoint-every", "\(checkpointEvery)"] }
        lines.append("exec " + command.joined(separator: " "))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `word` as one shell word: as is when it needs no quoting, else in single quotes.
    static func quoted(_ word: String) -> String {
        let plain = word.allSatisfy { $0.isLetter || $0.isNumber || "/._-+=:,@%".contains($0) }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
