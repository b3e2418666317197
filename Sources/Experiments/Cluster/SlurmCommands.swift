import Foundation

/// The SLURM commands the cluster path uses, run as child processes: `sbatch` submits a
/// script, `squeue` lists the tasks that are pending or running. Nothing is mocked: the
/// tests run them against a real one-node cluster (`.ci/slurm-cluster`).
public enum SlurmCommands {
    /// The full path of `command` on PATH, or nil.
    public static func locate(_ command: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Submits `script` with `sbatch --parsable` and returns the job id.
    public static func submit(script: String) throws -> String {
        guard let sbatch = locate("sbatch") else { throw ClusterError.commandNotFound(command: "sbatch") }
        let (status, output, errors) = try execute(sbatch, ["--parsable", script])
        guard status == 0 else {
            throw ClusterError.rejected(command: "sbatch", script: script, message: errors.isEmpty ? output : errors)
        }
        // --parsable prints `<job id>` or `<job id>;<cluster>`.
        let job = output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first.map(String.init) ?? ""
        guard !job.isEmpty, job.allSatisfy(\.isNumber) else { throw ClusterError.unexpectedOutput(command: "sbatch", output: output) }
        return job
    }

    /// The state (`PENDING`, `RUNNING`, ...) of every pending or running task of `jobs`, by
    /// `<job>_<task>`; nil when `squeue` is not on PATH or does not answer (status then
    /// says that it could not ask).
    public static func queue(jobs: Set<String>) -> [String: String]? {
        guard let squeue = locate("squeue") else { return nil }
        if jobs.isEmpty { return [:] }
        guard let (status, output, _) = try? execute(squeue, ["-h", "-r", "--me", "-o", "%i|%T"]), status == 0 else {
            return nil
        }
        var tasks: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 2, let job = fields[0].split(separator: "_").first, jobs.contains(String(job)) else { continue }
            tasks[fields[0]] = fields[1]
        }
        return tasks
    }

    /// Runs `executable` to the end: exit status, standard output, standard error (through a
    /// temporary file, so that neither stream can fill a pipe and block the child).
    static func execute(_ executable: String, _ arguments: [String]) throws -> (Int32, String, String) {
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("deeprank-slurm-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errors = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), errors)
    }
}
