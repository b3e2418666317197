import ArgumentParser
import Benchmarking
import Experiments
import Foundation
import NeuralNet
import TensorKit

/// `deeprank bench sgemm`: the chain kernels (`Sources/CChains`) beside OpenBLAS's own sgemm
/// on every product a network's layers make, one thread each, in the same run.
struct SgemmBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sgemm",
        abstract: "The chain kernels beside OpenBLAS's sgemm on every product of a network's layers (one thread each).",
        discussion: "Each product of one training step (Conv2D per image: forward, weight gradient, input gradient; "
            + "Linear per row block) is timed on every instruction-set path the CPU runs (or the one --isa names) "
            + "and on cblas_sgemm, on the same operands; the table gives GFLOP/s and the first path's ratio to "
            + "OpenBLAS, and the last line the sgemm time of one training step on each. --json prints the figures.")

    @OptionGroup var networkOptions: BenchNetworkOptions

    @Option(help: "Timed repeats per product and kernel (the median is reported).")
    var repeats: Int = 5

    @Option(help: "Only the products of layers whose name contains this (for example deep.conv2).")
    var layer: String?

    @Flag(help: "Print the figures as JSON.")
    var json = false

    @Option(help: ArgumentHelp("One instruction-set path (portable, avx2, avx512); default: every path this CPU runs."))
    var isa: String?

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be >= 1") }
        if let isa {
            do {
                guard try InstructionSet.parse(isa) != nil else { throw ValidationError("--isa: name one path") }
            } catch let error as InstructionSetError {
                throw ValidationError("--isa \(isa): \(error)")
            }
        }
    }

    func run() throws {
        let chosen = try networkOptions.resolved()
        let network = networkOptions.network, batchTriplets = networkOptions.batchTriplets
        let paths = try isa.flatMap { try InstructionSet.parse($0) }.map { [$0] }
            ?? InstructionSet.allCases.reversed().filter(\.isSupported)
        var products = chosen.config.layerProducts(images: 3 * batchTriplets)
        if let layer { products = products.filter { $0.layer.contains(layer) } }
        guard !products.isEmpty else {
            FileHandle.standardError.write(Data("--layer \(layer ?? ""): no layer of \(network) has that in its name\n".utf8))
            throw ExitCode.failure
        }
        var benchmark = ChainGemmBenchmark(paths: paths)
        benchmark.repeats = repeats
        let figures = benchmark.run(products)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(figures), as: UTF8.self))
            return
        }
        print("\(network), \(3 * batchTriplets) images per step; one thread; OpenBLAS \(BLAS.coreType) kernels; "
              + "GFLOP/s, median of \(repeats)")
        print(benchmark.table(figures))
    }
}
