import ArgumentParser
import Evaluation
import Experiments
import Foundation
import RunFile
import TensorKit

/// `deeprank bench methods`: every method of a spec (by default the comparison of the
/// paper's Tables 1 and 2 on the synthetic data, `Experiments/default-comparison.yaml`)
/// trained for one seed and scored on the same evaluation triplets, with timings. The spec
/// goes through the parser, plan and runner of `deeprank run`, in one process and without
/// run files; the budget options override it, for quick checks while changing a method.
struct MethodsBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "methods",
        abstract: "Train every method of a spec for one seed and print similarity precision on shared triplets.",
        discussion: "Runs the spec as `deeprank run` does, without writing run files; the budget options replace "
            + "the spec's settings in every method they apply to. --json prints one JSON object per row and line.")

    /// The spec run when `--spec` is not given, relative to the current directory.
    static let defaultSpec = "Experiments/default-comparison.yaml"

    @Option(help: "The experiment spec (YAML, see Experiments/README.md); a relative path resolves against the current directory.")
    var spec: String = Self.defaultSpec

    @Option(help: "Run seed (default: the spec's first).")
    var seed: UInt64?

    @OptionGroup var options: BenchOptions

    @Option(help: "Only these methods (comma-separated names; default: all).")
    var methods: String?

    @OptionGroup(title: "Budget overrides") var budget: BudgetOverrides

    func run() throws {
        options.isa.apply()
        Parallel.configure(threads: options.threads)
        let parsed: ExperimentSpec
        do {
            parsed = try SpecParser.load(path: spec)
        } catch let error as SpecError {
            var message = "\(error)"
            if !FileManager.default.fileExists(atPath: spec) {
                message += " (resolved against \(FileManager.default.currentDirectoryPath); run in the repository "
                    + "root or pass --spec PATH)"
            }
            throw fail(message)
        }
        guard parsed.sweep == nil else {
            throw fail("\(spec): a sweep; bench methods runs a single spec (run sweeps with `deeprank run`)")
        }
        let seed = self.seed ?? parsed.seeds[0]
        var plan = try budget.applied(to: parsed).plan(seed: seed)
        if let methods {
            let wanted = Set(methods.split(separator: ",").map(String.init))
            let known = Set(plan.methods.map(\.name))
            guard wanted.isSubset(of: known) else {
                throw fail("unknown method(s) \(wanted.subtracting(known).sorted()); known: \(known.sorted())")
            }
            plan.methods = plan.methods.filter { wanted.contains($0.name) }
        }
        let result = try ExperimentRunner(log: { if !options.json { print($0) } }).run(plan)
        if options.json {
            for row in result.rows {
                let object: [String: Any] = ["row": row.row, MetricName.similarityPrecision: row.similarityPrecision,
                                             RunFileKey.Row.trainingSeconds: row.trainingSeconds, "seed": seed,
                                             "triplets": result.evaluationTriplets.triplets.count]
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            }
            return
        }
        print("\nSimilarity precision on \(result.evaluationTriplets.triplets.count) evaluation triplets "
              + "(digest \(result.evaluationTriplets.digest.prefix(16))), seed \(seed):")
        for row in result.rows.sorted(by: { $0.similarityPrecision > $1.similarityPrecision }) {
            print("  " + row.row.padding(toLength: 28, withPad: " ", startingAt: 0)
                  + String(format: " %6.2f%%   (%.1f s)", 100 * row.similarityPrecision, row.trainingSeconds))
        }
    }

    /// Prints `message` on standard error; the exit code to throw.
    private func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        return .failure
    }
}
