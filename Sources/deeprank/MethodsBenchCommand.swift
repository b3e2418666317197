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
    var rankingSteps: Int = DefaultComparison.Budget().rankingSteps

    @Option(help: "Training steps of the classifier.")
    var classifierSteps: Int = DefaultComparison.Budget().classifierSteps

    @Option(help: "OASIS updates.")
    var oasisSteps: Int = DefaultComparison.Budget().oasisSteps

    @Option(help: "Only these methods (comma-separated names; default: all).")
    var methods: String?

    @Option(help: "Learning rate of the ranking networks and the classifier.")
    var learningRate: Float = DefaultComparison.Budget().learningRate

    @Option(help: "T_r of the triplet samplers: a training triplet needs r(q, p) - r(q, n) >= T_r.")
    var relevanceMargin: Float = DefaultComparison.Budget().relevanceMargin

    @Option(help: "Steps of classifier pre-training of the ranking networks' ConvNet part (0: none).")
    var pretrainSteps: Int = DefaultComparison.Budget().pretrainSteps

    @Flag(help: "Print the rows as JSON (one object per line).")
    var json = false

    func run() throws {
        Parallel.configure(threads: threads)
        let budget = DefaultComparison.Budget(rankingSteps: rankingSteps, classifierSteps: classifierSteps,
                                              oasisSteps: oasisSteps, learningRate: learningRate,
                                              relevanceMargin: relevanceMargin, pretrainSteps: pretrainSteps)
        var plan = try DefaultComparison.plan(seed: seed, budget: budget)
        if let methods {
            let wanted = Set(methods.split(separator: ",").map(String.init))
            let known = Set(plan.methods.map(\.name))
            guard wanted.isSubset(of: known) else {
                throw ValidationError("unknown method(s) \(wanted.subtracting(known).sorted()); known: \(known.sorted())")
            }
            plan.methods = plan.methods.filter { wanted.contains($0.name) }
        }
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
