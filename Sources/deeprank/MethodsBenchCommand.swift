import ArgumentParser
import Experiments
import Foundation
import TensorKit

/// `deeprank bench methods`: every method of the comparison (issue 4) trained and scored
/// on the same evaluation triplets of the default synthetic data, with timings.
struct MethodsBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "methods",
        abstract: "Train every method on the default synthetic data and print similarity precision on shared triplets.")

    @Option(help: "Run seed.")
    var seed: UInt64 = 1

    @Option(help: "Worker threads.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Training steps of the ranking networks.")
    var rankingSteps: Int = 400

    @Option(help: "Training steps of the classifier.")
    var classifierSteps: Int = 300

    @Option(help: "OASIS updates.")
    var oasisSteps: Int = 20_000

    @Flag(help: "Print the rows as JSON (one object per line).")
    var json = false

    func run() throws {
        Parallel.configure(threads: threads)
        let budget = DefaultComparison.Budget(rankingSteps: rankingSteps, classifierSteps: classifierSteps,
                                              oasisSteps: oasisSteps)
        let plan = try DefaultComparison.plan(seed: seed, budget: budget)
        let result = try ExperimentRunner(log: { if !json { print($0) } }).run(plan)
        if json {
            for row in result.rows {
                let object: [String: Any] = ["row": row.row, "similarity_precision": row.similarityPrecision,
                                             "training_seconds": row.trainingSeconds, "seed": seed,
                                             "triplets": result.evaluationTriplets.triplets.count]
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            }
            return
        }
        print("\nSimilarity precision on \(result.evaluationTriplets.triplets.count) evaluation triplets "
              + "(digest \(result.evaluationTriplets.digest.prefix(16))), seed \(seed):")
        for row in result.rows.sorted(by: { $0.similarityPrecision > $1.similarityPrecision }) {
            print(String(format: "  %-28@ %6.2f%%   (%.1f s)", row.row as NSString, 100 * row.similarityPrecision,
                         row.trainingSeconds))
        }
    }
}
