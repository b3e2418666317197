/// A one-dimensional resampling of `inputCount` samples to `outputCount`, as a sparse
/// matrix with a fixed number of taps per output: output `o` is
/// `sum_{t < taps} weights[o * taps + t] * input[first[o] + t]`.
///
/// The two filters of `Resize` are separable, so a 2-D resize is one filter along the
/// width followed by one along the height, and the result is the same (up to float
/// rounding) as PyTorch's 2-D kernels:
/// - `area(from:to:)`, PyTorch `F.interpolate(mode="area")` = `adaptive_avg_pool2d`:
///   output `o` is the mean of inputs `floor(o * in / out) ..< ceil((o + 1) * in / out)`,
///   for any ratio (non-integer ratios give windows of varying length that may overlap;
///   `out > in` repeats inputs, like nearest neighbour).
/// - `bilinear(from:to:)`, PyTorch `F.interpolate(mode="bilinear", align_corners=False,
///   antialias=False)`: source coordinate `s = max(0, (o + 0.5) * in / out - 0.5)`,
///   `i0 = floor(s)`, `i1 = min(i0 + 1, in - 1)`, weights `(1 - (s - i0), s - i0)`.
///   Without antialiasing, downscaling by more than 2 skips inputs; that is why
///   `Resize.Mode.automatic` uses area for shrinking.
struct ResamplingFilter: Equatable {
    let inputCount: Int
    let outputCount: Int
    let taps: Int
    /// First input index of each output's window, `[outputCount]`; `first[o] + taps <= inputCount`.
    let first: [Int]
    /// `[outputCount, taps]`, row-major.
    let weights: [Float]

    /// Builds the table from each output's `(input index, weight)` pairs; windows are
    /// moved left where needed so that every window of `taps` inputs stays inside.
    private init(inputCount: Int, outputCount: Int, taps: Int, pairs: (Int) -> [(Int, Double)]) {
        var first = [Int](repeating: 0, count: outputCount)
        var weights = [Float](repeating: 0, count: outputCount * taps)
        for o in 0..<outputCount {
            let contributions = pairs(o)
            let start = min(contributions.map(\.0).min()!, inputCount - taps)
            first[o] = start
            for (index, weight) in contributions { weights[o * taps + index - start] += Float(weight) }
        }
        self.inputCount = inputCount; self.outputCount = outputCount; self.taps = taps
        self.first = first; self.weights = weights
    }

    /// Adaptive average pooling from `inputCount` to `outputCount` samples.
    static func area(from inputCount: Int, to outputCount: Int) -> ResamplingFilter {
        precondition(inputCount > 0 && outputCount > 0, "empty axis")
        func window(_ o: Int) -> Range<Int> {
            (o * inputCount) / outputCount ..< ((o + 1) * inputCount + outputCount - 1) / outputCount
        }
        let taps = (0..<outputCount).map { window($0).count }.max()!
        return ResamplingFilter(inputCount: inputCount, outputCount: outputCount, taps: taps) { o in
            let w = window(o)
            return w.map { ($0, 1.0 / Double(w.count)) }
        }
    }

    /// Linear interpolation with half-pixel centres (`align_corners=False`).
    static func bilinear(from inputCount: Int, to outputCount: Int) -> ResamplingFilter {
        precondition(inputCount > 0 && outputCount > 0, "empty axis")
        let scale = Double(inputCount) / Double(outputCount)
        return ResamplingFilter(inputCount: inputCount, outputCount: outputCount, taps: min(2, inputCount)) { o in
            let source = max(0, (Double(o) + 0.5) * scale - 0.5)
            let i0 = min(Int(source), inputCount - 1)
            let i1 = min(i0 + 1, inputCount - 1)
            let lambda = source - Double(i0)
            return [(i0, 1 - lambda), (i1, lambda)]
        }
    }
}
