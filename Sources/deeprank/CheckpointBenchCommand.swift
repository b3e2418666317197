import ArgumentParser
import Experiments
import Foundation
import RunFile
import TensorKit

/// `deeprank bench checkpoint [SPEC]`: the cost of checkpoints (the target: writing one costs
/// under 5% of the training time between checkpoints at the default interval). Runs the spec
/// (first seed) into a temporary directory with checkpoints on, times every checkpoint
/// write, and reports the writes' share of the rest of the run.
struct CheckpointBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Checkpoint write time against the training time between checkpoints.",
        discussion: "--json prints the figures as one JSON object.")

    @Argument(help: "The spec to run (its first seed).")
    var spec: String = "Experiments/quickstart.yaml"

    @Option(name: .customLong("checkpoint-every"), help: "Training steps between checkpoints.")
    var checkpointEvery: Int = RunFileFormat.defaultCheckpointInterval

    @OptionGroup var options: BenchOptions

    func validate() throws {
        guard checkpointEvery >= 1 else { throw ValidationError("--checkpoint-every must be >= 1") }
    }

    func run() throws {
        options.isa.apply()
        let threads = options.threads
        Parallel.configure(threads: threads)
        let parsed = try SpecParser.load(path: spec)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deeprank-checkpoint-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let runner = SpecRunner(spec: parsed, seeds: [parsed.seeds[0]], outputDirectory: directory.path, overwrite: true,
                                commandLine: CommandLine.arguments.joined(separator: " "), log: { _ in },
                                checkpointInterval: checkpointEvery)
        guard let outcome = try runner.run().first else { throw ValidationError("\(spec): nothing ran") }
        let writes = outcome.checkpointWrites
        let total = writes.reduce(0, +)
        let rest = outcome.seconds - total
        let sorted = writes.sorted()
        let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        let size = (try? FileManager.default.attributesOfItem(atPath: outcome.path)[.size] as? Int) ?? 0
        let figures: [String: Double] = [
            "checkpoints": Double(writes.count), "checkpoint_every": Double(checkpointEvery),
            "median_write_s": median, "max_write_s": sorted.last ?? 0, "total_write_s": total,
            "run_s_without_writes": rest, "overhead_fraction": rest > 0 ? total / rest : 0,
            "run_file_mib": Double(size) / 1_048_576, "threads": Double(threads),
        ]
        if options.json {
            let data = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("deeprank bench checkpoint: \(spec), seed \(parsed.seeds[0]), \(threads) threads, "
              + "a checkpoint every \(checkpointEvery) steps and after each method")
        print(String(format: "  %d checkpoints written: median %.1f ms, max %.1f ms, %.2f s in all",
                     writes.count, 1000 * median, 1000 * (sorted.last ?? 0), total))
        print(String(format: "  the rest of the run: %.1f s; final run file %.1f MiB", rest, Double(size) / 1_048_576))
        print(String(format: "  overhead: %.2f%% of the time between checkpoints (target < 5%%)",
                     100 * (rest > 0 ? total / rest : 0)))
    }
}
