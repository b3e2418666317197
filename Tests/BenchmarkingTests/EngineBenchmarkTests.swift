import Foundation
import NeuralNet
import XCTest
@testable import Benchmarking

/// The engine benchmark on a small network (debug builds are far too slow for the
/// reference one): every figure is there, finite and positive, under the JSON keys the
/// PyTorch script prints. Speed targets are benchmark figures, not asserted here.
final class EngineBenchmarkTests: XCTestCase {
    static let small = MultiScaleConfig(
        inputSize: 16,
        deepStages: [ConvStage(channels: 4, kernel: 5, padding: 2), ConvStage(channels: 8, kernel: 3, padding: 1)],
        deepFeatures: 16, dropoutKeep: 0.6,
        shallowParts: [ShallowPart(subsample: 4, stage: ConvStage(channels: 4, kernel: 3, padding: 1))],
        embedding: 8)

    /// The benchmark on `small`, with few steps and a small sgemm peak matrix.
    static func smallBenchmark(_ algorithm: ConvAlgorithm = .automatic) -> EngineBenchmark {
        var benchmark = EngineBenchmark()
        benchmark.config = small
        benchmark.triplets = 2
        benchmark.steps = 2
        benchmark.warmup = 1
        benchmark.threads = 2
        benchmark.peakMatrixSize = 256
        benchmark.convAlgorithm = algorithm
        return benchmark
    }

    func testEveryFigureIsThereUnderTheSharedKeys() throws {
        let figures = Self.smallBenchmark().run()
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(figures)) as! [String: Any]
        // The keys `deeprank bench --against-pytorch` compares (the figures the engine benchmark is judged by,
        // the conv fraction in `ConvLayerComparison`).
        let shared = ["train_images_per_s", "infer_images_per_s", "gflops", "conv_gflops", "conv_executed_gflops",
                      "sgemm_peak_gflops", "peak_rss_mib", "process_peak_rss_mib", "train_step_ms_median", "infer_batch_ms_median",
                      "conv_fraction_of_sgemm_peak"]
        let script = try String(contentsOf: packageRoot.appendingPathComponent("Tests/Reference/bench_torch.py"),
                                encoding: .utf8)
        for key in shared + ["conv_gemm_only_fraction_of_sgemm_peak"] {
            let value = try XCTUnwrap(json[key] as? Double, "no figure \(key)")
            XCTAssert(value.isFinite && value > 0, "\(key) = \(value)")
            if shared.contains(key) { XCTAssert(script.contains("\"\(key)\""), "bench_torch.py prints no \(key)") }
        }
        // The fraction is the median of paired rounds, inside their range.
        let range = try XCTUnwrap(json["conv_fraction_of_sgemm_peak_range"] as? [Double])
        XCTAssertEqual(range.count, 2)
        XCTAssert(range[0] <= figures.convFractionOfPeak && figures.convFractionOfPeak <= range[1], "\(range)")
        let layers = try XCTUnwrap(figures.convBreakdown)
        XCTAssertEqual(layers.map(\.name), ["deep.conv1", "deep.conv2", "shallow0.conv"])
        for layer in layers {
            XCTAssert(layer.gflops > 0 && (layer.gemmOnlyGflops ?? 0) > 0, "\(layer)")
        }
    }

    /// `--conv im2col` runs every convolution through im2col + sgemm (the engine without
    /// the direct kernels, for before/after figures).
    func testIm2colEverywhere() {
        // Every convolution the benchmark builds is set to the algorithm, whether or not
        // this process could run the direct kernels.
        for algorithm in [ConvAlgorithm.im2col, .automatic] {
            let benchmark = Self.smallBenchmark(algorithm)
            let network = benchmark.trainingSetup().network
            let convs = ([network.deep] + network.shallow).flatMap { $0.layers.compactMap { $0 as? Conv2D } }
                + benchmark.convCases(images: 2).map(\.conv)
            XCTAssertEqual(convs.count, 6)
            XCTAssert(convs.allSatisfy { $0.algorithm == algorithm }, "\(algorithm)")
        }
        let figures = Self.smallBenchmark(.im2col).run()
        XCTAssertFalse(figures.reference.contains("direct"), figures.reference)
        XCTAssertEqual(figures.convBreakdown?.map(\.algorithm), ["im2col", "im2col", "im2col"])
        XCTAssertNil(figures.convBreakdown?.compactMap(\.directSpeedup).first)
    }

    /// The ceiling counts the FLOPs the layer executes: forward and weight gradient, plus
    /// the input gradient when the layer computes it.
    func testGemmCeilingCountsTheLayersFlops() {
        let first = ConvGemmCeiling(outChannels: 32, patchSize: 75, outPixels: 4096, images: 96, inputGradient: false)
        XCTAssertEqual(first.flops, 2 * 2 * 96 * 32 * 75 * 4096)
        let inner = ConvGemmCeiling(outChannels: 64, patchSize: 288, outPixels: 1024, images: 96, inputGradient: true)
        XCTAssertEqual(inner.flops, 3 * 2 * 96 * 64 * 288 * 1024)
        XCTAssert(ConvGemmCeiling(outChannels: 2, patchSize: 3, outPixels: 4, images: 2, inputGradient: true)
            .seconds(repeats: 1) > 0)
    }

    private var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
