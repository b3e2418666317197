import ArgumentParser
import Benchmarking
import Experiments
import Foundation
import TensorKit

/// `deeprank bench`: the benchmarks, each beside its reference where one exists.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (build with -c release). Without a subcommand: the engine benchmark.",
        subcommands: [EngineBenchCommand.self, DataBenchCommand.self, FeaturesBenchCommand.self, MethodsBenchCommand.self,
                      CheckpointBenchCommand.self, KNNBenchCommand.self, SgemmBenchCommand.self, ClusterBenchCommand.self],
        defaultSubcommand: EngineBenchCommand.self)
}

/// `deeprank bench [engine]`: training and inference throughput of a network (the reference
/// network unless `--network` names another), optionally beside its PyTorch twin run in the
/// same invocation.
struct EngineBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Train and run a multi-scale network (the reference one by default); optionally beside PyTorch.",
        discussion: "BLAS runs single-threaded inside the work items of our --threads pool. --json prints our "
            + "figures as one JSON object. With --against-pytorch the PyTorch twin of the same network "
            + "(Tests/Reference/multiscale_twin.py, given as --config-json) trains on a batch of the same size.")

    @OptionGroup var options: BenchOptions

    @OptionGroup var networkOptions: BenchNetworkOptions

    @Option(help: "Timed training steps (the median is reported).")
    var steps: Int = 20

    @Option(help: "Untimed warm-up steps.")
    var warmup: Int = 3

    @Flag(name: .customLong("against-pytorch"),
          help: "Also run Tests/Reference/bench_torch.py (torch in --python, as many threads) on the same network with the same settings and print both with ratios.")
    var againstPyTorch = false

    @Flag(name: .customLong("print-twin-config"),
          help: "Print the network as the config of its PyTorch twin (what bench_torch.py --config-json takes) and exit.")
    var printTwinConfig = false

    @OptionGroup var reference: ReferenceScriptOptions

    @Option(help: "How convolutions compute: automatic (the direct kernels where they give the bits of im2col + sgemm) or im2col (im2col + sgemm everywhere).")
    var conv: String = "automatic"

    @Option(help: "Path of the PyTorch reference benchmark script.")
    var script: String = "Tests/Reference/bench_torch.py"

    func validate() throws {
        guard steps >= 1, warmup >= 0 else { throw ValidationError("--steps must be >= 1 and --warmup >= 0") }
        guard ["automatic", "im2col"].contains(conv) else { throw ValidationError("--conv must be automatic or im2col, got '\(conv)'") }
    }

    func run() throws {
        options.isa.apply()
        let chosen = try networkOptions.resolved()
        let batchTriplets = networkOptions.batchTriplets
        let twin = try PyTorchTwinConfig.json(for: chosen.config)
        if printTwinConfig {
            print(twin)
            return
        }
        let threads = options.threads, json = options.json
        var benchmark = EngineBenchmark()
        benchmark.config = chosen.config
        benchmark.triplets = batchTriplets
        benchmark.threads = threads
        benchmark.steps = steps
        benchmark.warmup = warmup
        benchmark.convAlgorithm = conv == "im2col" ? .im2col : .automatic
        let figures = benchmark.run()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(figures)
        if json && !againstPyTorch {
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let ours = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let keys = ["train_images_per_s", "infer_images_per_s", "gflops", "conv_gflops", "conv_executed_gflops",
                    "sgemm_peak_gflops", "peak_rss_mib", "process_peak_rss_mib", "train_step_ms_median",
                    "infer_batch_ms_median"]
        let size = chosen.config.inputSize
        print("DeepRank engine: \(figures.reference), \(threads) thread(s), BLAS: \(BLAS.configuration)")
        print("network \(chosen.name): \(figures.parameters) parameters, \(batchTriplets) triplets = "
              + "\(3 * batchTriplets) images of 3x\(size)x\(size) a step, "
              + String(format: "%.3g GFLOP a training image", figures.trainFlopsPerImage / 1e9))
        let range = figures.convFractionRange ?? [figures.convFractionOfPeak, figures.convFractionOfPeak]
        print(String(format: "conv layers fwd+bwd: %.1f GFLOP/s executed = %.0f%% of the sgemm peak measured in this run (%.1f GFLOP/s); median of %d paired rounds, range %.0f-%.0f%%",
                     figures.convExecutedGflops, 100 * figures.convFractionOfPeak, figures.sgemmPeakGflops,
                     EngineBenchmark.pairedRounds, 100 * range[0], 100 * range[1]))
        if let ceiling = figures.convGemmFractionOfPeak {
            print(String(format: "  im2col + sgemm's ceiling, its GEMMs alone (no im2col/col2im, same shapes and calls): %.0f%% of the peak", 100 * ceiling))
        }
        for layer in figures.convBreakdown ?? [] {
            var line = String(format: "  %@ (%@, %@): %.1f ms, %.1f GFLOP/s executed; sgemm alone %.1f GFLOP/s",
                              layer.name, layer.shape, layer.algorithm ?? "?", layer.milliseconds, layer.gflops,
                              layer.gemmOnlyGflops ?? .nan)
            if let im2col = layer.im2colGflops, let speedup = layer.directSpeedup {
                line += String(format: "; im2col + sgemm %.1f GFLOP/s (direct %.2fx faster, median of paired runs)",
                               im2col, speedup)
            }
            print(line)
        }
        print(String(format: "resident memory growth over timed steps: %.1f MiB", figures.rssGrowthMiB ?? 0))
        guard againstPyTorch else {
            for key in keys { if let v = ours[key] { print("\(key): \(v)") } }
            return
        }
        let theirs = try ReferenceComparison(python: reference.python, script: script)
            .run(arguments: ["--threads", "\(threads)", "--steps", "\(steps)", "--warmup", "\(warmup)",
                             "--batch-triplets", "\(batchTriplets)", "--config-json", twin, "--json"])
        print("Reference: \(theirs["reference"] ?? "?"), its twin of the network: \(theirs["parameters"] ?? "?") parameters")
        print(try ConvLayerComparison.table(ours: figures, theirs: theirs))
        print(ReferenceComparison.table(ours: ours, theirs: theirs, keys: keys))
        if json { print(String(decoding: data, as: UTF8.self)) }
    }
}
