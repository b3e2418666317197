import Foundation

/// Our convolutions beside PyTorch's (`bench_torch.py`'s `conv_breakdown` and conv
/// fraction), layer by layer: each layer's forward + backward alone on its real input
/// shape, in executed FLOPs (2x forward for layers without an input gradient, 3x for the
/// others, on both sides), and its fraction of a GEMM peak.
///
/// The peaks differ by side, and the table says which: ours is `cblas_sgemm` (OpenBLAS)
/// on 2048 x 2048 matrices, the median of the paired rounds (`EngineBenchmark.pairedRounds`);
/// PyTorch's is `torch.mm` (MKL) on the same size, measured by the script just before each
/// layer. PyTorch's rate is also given as a fraction of our peak, one yardstick for both.
/// Layers pair up by position: both sides list the deep part's convolutions, then the
/// shallow parts'.
public enum ConvLayerComparison {
    /// PyTorch's figures do not match ours layer for layer.
    public struct Mismatch: Error, CustomStringConvertible {
        public var problem: String
        public var description: String { "bench_torch.py's conv_breakdown: \(problem)" }
    }

    public static func table(ours: BenchmarkFigures, theirs: [String: Any]) throws -> String {
        guard let layers = theirs["conv_breakdown"] as? [[String: Any]] else {
            throw Mismatch(problem: "missing (an older bench_torch.py?)")
        }
        let mine = ours.convBreakdown ?? []
        guard layers.count == mine.count else {
            throw Mismatch(problem: "\(layers.count) layers, ours \(mine.count)")
        }
        func number(_ object: [String: Any], _ key: String) throws -> Double {
            guard let value = (object[key] as? NSNumber)?.doubleValue else { throw Mismatch(problem: "no number \(key)") }
            return value
        }
        func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - s.count))
            return left ? s + fill : fill + s
        }
        let theirFraction = try number(theirs, "conv_fraction_of_sgemm_peak")
        let theirRange = theirs["conv_fraction_of_sgemm_peak_range"] as? [Double] ?? [theirFraction, theirFraction]
        let ourRange = ours.convFractionRange ?? [ours.convFractionOfPeak, ours.convFractionOfPeak]
        var lines = [
            String(format: "conv layers fwd+bwd, executed FLOPs / GEMM peak, median of paired rounds: ours %.0f%% (%.0f-%.0f%%) "
                   + "of cblas_sgemm %.1f GFLOP/s; PyTorch %.0f%% (%.0f-%.0f%%) of torch.mm %.1f GFLOP/s",
                   100 * ours.convFractionOfPeak, 100 * ourRange[0], 100 * ourRange[1], ours.sgemmPeakGflops,
                   100 * theirFraction, 100 * theirRange[0], 100 * theirRange[1], try number(theirs, "sgemm_peak_gflops")),
            "per layer, forward + backward alone (GFLOP/s executed; ours / our cblas_sgemm peak; PyTorch / the torch.mm "
                + "peak measured before the layer, and / our peak):",
            pad("layer", 16, left: true) + pad("shape", 24, left: true) + pad("DeepRank", 10) + pad("of peak", 9)
                + pad("PyTorch", 10) + pad("of peak", 9) + pad("of ours", 9) + pad("ours/theirs", 13),
        ]
        for (layer, their) in zip(mine, layers) {
            let theirGflops = try number(their, "gflops")
            lines.append(pad(layer.name, 16, left: true) + pad(layer.shape, 24, left: true)
                         + pad(String(format: "%.1f", layer.gflops), 10)
                         + pad(String(format: "%.0f%%", 100 * layer.gflops / ours.sgemmPeakGflops), 9)
                         + pad(String(format: "%.1f", theirGflops), 10)
                         + pad(String(format: "%.0f%%", 100 * (try number(their, "fraction_of_torch_mm_peak"))), 9)
                         + pad(String(format: "%.0f%%", 100 * theirGflops / ours.sgemmPeakGflops), 9)
                         + pad(String(format: "%.2fx", layer.gflops / theirGflops), 13))
        }
        return lines.joined(separator: "\n")
    }
}
