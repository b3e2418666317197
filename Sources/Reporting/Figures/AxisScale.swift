import Foundation

/// A linear map from data values to drawing coordinates, with "nice" ticks (steps of 1, 2
/// or 5 times a power of ten, Heckbert's labelling) that cover the data.
struct AxisScale {
    /// The domain, widened to whole ticks.
    let low: Double
    let high: Double
    let ticks: [Double]
    let step: Double
    /// Drawing coordinates of `low` and `high`.
    let from: Double
    let to: Double

    /// A scale covering `values` (and `including`, e.g. 0 for bars) with about `count` ticks,
    /// never beyond `limits` (0...100 for percentages: a confidence interval past 100% is cut).
    init(covering values: [Double], including: [Double] = [], limits: ClosedRange<Double>? = nil,
         from: Double, to: Double, count: Int = 5) {
        let finite = (values + including).filter(\.isFinite).map { v in limits.map { $0.clamped(v) } ?? v }
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        if low == high { low -= low == 0 ? 1 : abs(low) * 0.1; high += high == 0 ? 1 : abs(high) * 0.1 }
        let step = Self.niceStep((high - low) / Double(max(1, count)))
        let first = (low / step).rounded(.down) * step, last = (high / step).rounded(.up) * step
        self.step = step
        self.low = first
        self.high = last
        ticks = (0...Int(((last - first) / step).rounded())).map { first + Double($0) * step }
        self.from = from; self.to = to
    }

    /// 1, 2, 5 or 10 times a power of ten, close to `rough`.
    static func niceStep(_ rough: Double) -> Double {
        let power = pow(10, (log10(rough)).rounded(.down))
        let fraction = rough / power
        let nice: Double = fraction < 1.5 ? 1 : (fraction < 3 ? 2 : (fraction < 7 ? 5 : 10))
        return nice * power
    }

    /// The drawing coordinate of `value`, kept inside the axis.
    func callAsFunction(_ value: Double) -> Double { from + (min(high, max(low, value)) - low) / (high - low) * (to - from) }

    /// A tick label with as many decimals as the step needs.
    func label(_ value: Double, scale: Double = 1) -> String {
        let decimals = max(0, -Int((log10(step * scale)).rounded(.down)))
        return NumberFormat.fixed(value * scale, decimals: decimals)
    }
}

extension ClosedRange<Double> {
    func clamped(_ value: Double) -> Double { Swift.min(upperBound, Swift.max(lowerBound, value)) }
}
