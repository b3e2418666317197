import Foundation
import XCTest
@testable import Benchmarking

/// The per-layer table of `deeprank bench engine --against-pytorch`: layers pair up by
/// position, each side's fraction is of its own peak, and PyTorch's is also given of ours.
final class ConvLayerComparisonTests: XCTestCase {
    static func ours() -> BenchmarkFigures {
        BenchmarkFigures(
            reference: "DeepRank", threads: 2, parameters: 10, trainImagesPerSecond: 1, inferImagesPerSecond: 1,
            gflops: 1, convGflops: 1, convExecutedGflops: 1, convFractionOfPeak: 0.5, convFractionRange: [0.4, 0.6],
            convGemmFractionOfPeak: nil, sgemmPeakGflops: 200, peakRssMiB: 1, trainStepMsMedian: 1,
            inferBatchMsMedian: 1, trainFlopsPerImage: 1, rssGrowthMiB: 0,
            convBreakdown: [ConvLayerFigure(name: "deep.conv1", shape: "3->96 k11 on 225x225", milliseconds: 1,
                                            gflops: 100),
                            ConvLayerFigure(name: "shallow0.conv", shape: "3->96 k8 on 56x56", milliseconds: 1,
                                            gflops: 20)])
    }

    static func theirs(layers: Int = 2) -> [String: Any] {
        let layer: [String: Any] = ["name": "x", "gflops": 50.0, "fraction_of_torch_mm_peak": 0.25]
        return ["conv_fraction_of_sgemm_peak": 0.3, "conv_fraction_of_sgemm_peak_range": [0.2, 0.35],
                "sgemm_peak_gflops": 210.0, "conv_breakdown": Array(repeating: layer, count: layers)]
    }

    func testLayersSideBySide() throws {
        let table = try ConvLayerComparison.table(ours: Self.ours(), theirs: Self.theirs())
        XCTAssertTrue(table.contains("ours 50% (40-60%) of cblas_sgemm 200.0 GFLOP/s; PyTorch 30% (20-35%) of torch.mm 210.0 GFLOP/s"), table)
        let rows = table.split(separator: "\n").filter { $0.hasPrefix("deep.conv1") || $0.hasPrefix("shallow0.conv") }
        XCTAssertEqual(rows.count, 2, table)
        // ours 100 GFLOP/s = 50% of 200; PyTorch 50 = 25% of its peak, 25% of ours; ratio 2.
        XCTAssertEqual(rows[0].split(separator: " ").suffix(6), ["100.0", "50%", "50.0", "25%", "25%", "2.00x"], table)
        XCTAssertEqual(rows[1].split(separator: " ").suffix(6), ["20.0", "10%", "50.0", "25%", "25%", "0.40x"], table)
    }

    func testALayerCountMismatchIsAnError() {
        XCTAssertThrowsError(try ConvLayerComparison.table(ours: Self.ours(), theirs: Self.theirs(layers: 3))) { error in
            XCTAssertEqual("\(error)", "bench_torch.py's conv_breakdown: 3 layers, ours 2")
        }
        var old = Self.theirs()
        old["conv_breakdown"] = nil
        XCTAssertThrowsError(try ConvLayerComparison.table(ours: Self.ours(), theirs: old)) { error in
            XCTAssertEqual("\(error)", "bench_torch.py's conv_breakdown: missing (an older bench_torch.py?)")
        }
    }
}
