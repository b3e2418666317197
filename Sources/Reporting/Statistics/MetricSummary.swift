/// One metric over the seeds of an experiment: the mean and the half-width of its two-sided
/// 95% confidence interval from Student's t with n - 1 degrees of freedom,
///
///     mean ± t_{0.975, n-1} · s / √n,   s² = Σ (x_i - mean)² / (n - 1),
///
/// and no interval for a single seed. Values that are not finite (a metric that had nothing
/// to count) are left out, so `n` can be smaller than the number of seeds.
public struct MetricSummary: Equatable, Sendable {
    /// The finite values, in seed order.
    public var values: [Double]
    public var mean: Double
    /// nil when n < 2.
    public var halfWidth: Double?

    public var n: Int { values.count }

    /// nil when no value is finite.
    public init?(values: [Double]) {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { return nil }
        self.values = finite
        let n = Double(finite.count)
        mean = finite.reduce(0, +) / n
        if finite.count < 2 {
            halfWidth = nil
        } else {
            let mean = self.mean
            let variance = finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
            halfWidth = StudentT(degreesOfFreedom: n - 1).quantile(0.975) * variance.squareRoot() / n.squareRoot()
        }
    }
}
