import ArgumentParser
import Experiments
import Foundation
import RunFile

/// `deeprank bench cluster [SPEC]`: the overhead of the cluster path. Runs the spec twice with
/// the same total cores, once as `deeprank run --threads CORES` and once as a SLURM job array
/// (`deeprank submit --cpus-per-task C`, then `deeprank status --wait`), times both from the
/// command's start to the last run file, prints them side by side with their ratio, and
/// checks that every unit's digests agree. Needs a reachable SLURM (`.ci/slurm-cluster up`
/// gives a one-node one; export the SLURM_CONF it prints).
struct ClusterBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Wall time of a spec through SLURM against deeprank run with the same cores.",
        discussion: "Each round runs both paths (alternating which goes first) in fresh folders under the system's "
            + "temporary directory; the medians over rounds and their ratio are printed. The target: the cluster path "
            + "within 1.2x of the local run.")

    @Argument(help: "The spec to run (every unit).")
    var spec: String = "Experiments/cluster-sweep.yaml"

    @Option(help: "Cores for both paths: the local run's threads, the cluster's CPUs in use at once.")
    var cores: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("cpus-per-task"), help: "CPUs of each SLURM task (default: --cores, one unit at a time).")
    var cpusPerTask: Int?

    @Option(help: "Rounds (medians are reported).")
    var rounds: Int = 1

    func validate() throws {
        guard cores >= 1, rounds >= 1 else { throw ValidationError("--cores and --rounds must be at least 1") }
        if let cpusPerTask, !(1...cores).contains(cpusPerTask) {
            throw ValidationError("--cpus-per-task must be between 1 and --cores (\(cores))")
        }
    }

    func run() throws {
        let binary = SubmitCommand.executable()
        let specPath = SubmitCommand.absolute(spec)
        let plan = WorkPlan(spec: try SpecParser.load(path: specPath))
        let perTask = cpusPerTask ?? cores
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("deeprank-cluster-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        print("deeprank bench cluster: \(spec), \(plan.units.count) units, \(cores) cores: local `deeprank run --threads "
              + "\(cores)` against SLURM tasks of \(perTask) CPUs (\(cores / perTask) at once)")
        var local: [Double] = [], cluster: [Double] = []
        for round in 0..<rounds {
            let localOut = "\(root)/local-\(round)", clusterOut = "\(root)/cluster-\(round)"
            let runLocal = {
                local.append(try Self.time(binary, ["run", specPath, "--out", localOut, "--threads", "\(self.cores)"],
                                           log: localOut + ".log"))
            }
            let runCluster = {
                cluster.append(try Self.time(binary, ["submit", specPath, "--out", clusterOut, "--cpus-per-task", "\(perTask)"],
                                             then: ["status", clusterOut, "--wait", "--interval", "0.2"],
                                             log: clusterOut + ".log"))
            }
            if round % 2 == 0 { try runLocal(); try runCluster() } else { try runCluster(); try runLocal() }
            print(String(format: "  round %d: local %.1f s, cluster %.1f s", round + 1, local.last!, cluster.last!))
            let localPlan = WorkPlan(spec: plan.spec, directory: localOut)
            let clusterPlan = WorkPlan(spec: plan.spec, directory: clusterOut)
            for (a, b) in zip(localPlan.units, clusterPlan.units) {
                let x = try RunFileReader(path: a.output).digests(), y = try RunFileReader(path: b.output).digests()
                guard x == y else { throw ValidationError("unit \(a.index) (\(a.label)): the cluster's digests differ from the local run's") }
            }
        }
        let localMedian = Self.median(local), clusterMedian = Self.median(cluster)
        for (label, seconds) in [("deeprank run (local)", localMedian), ("submit + status --wait", clusterMedian)] {
            print("  " + label.padding(toLength: 26, withPad: " ", startingAt: 0)
                  + String(format: "%8.1f s   (median of %d)", seconds, rounds))
        }
        print(String(format: "  cluster / local: %.2fx (target <= 1.2x); every unit's digests equal in every round",
                     clusterMedian / localMedian))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Seconds from starting `arguments` to the end of `then` (run after it), or a clear error
    /// naming the log when either fails.
    static func time(_ binary: String, _ arguments: [String], then: [String]? = nil, log: String) throws -> Double {
        let start = Date()
        for command in [arguments] + (then.map { [$0] } ?? []) {
            if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            handle.seekToEndOfFile()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = command
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                throw ValidationError("deeprank \(command.joined(separator: " ")) failed:\n\(text.suffix(2000))")
            }
        }
        return Date().timeIntervalSince(start)
    }
}
