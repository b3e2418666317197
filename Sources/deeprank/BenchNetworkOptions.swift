import ArgumentParser
import Benchmarking
import Experiments
import Foundation

/// `--network` and `--batch-triplets`, shared by the benchmarks that train a network's step
/// (`bench engine`, `bench sgemm`).
struct BenchNetworkOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The network: a preset (\(SpecParser.networkPresets.map(\.key).joined(separator: ", "))) "
                               + "or SPEC.yaml:METHOD, the network of a deep-ranking method of an experiment spec."))
    var network: String = SpecDefaults.network

    @Option(name: .customLong("batch-triplets"), help: "Triplets per training step (3 images each).")
    var batchTriplets: Int = EngineBenchmark.defaultTriplets

    func validate() throws {
        guard batchTriplets >= 1 else { throw ValidationError("--batch-triplets must be >= 1, got \(batchTriplets)") }
    }

    /// The network `--network` names; a bad argument is printed and ends the command.
    func resolved() throws -> BenchNetwork {
        do {
            return try BenchNetwork(network)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
