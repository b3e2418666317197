import Foundation

/// Student's t distribution with `degreesOfFreedom` ν > 0: the CDF through the regularised
/// incomplete beta function, and quantiles by bisection on the CDF (to 1e-12), so the 95%
/// confidence intervals of the report need no table.
///
///     F(t) = 1 - I_x(ν/2, 1/2) / 2,   x = ν / (ν + t²),   for t >= 0;   F(-t) = 1 - F(t).
public struct StudentT: Sendable {
    public let degreesOfFreedom: Double

    public init(degreesOfFreedom: Double) {
        precondition(degreesOfFreedom > 0, "Student's t needs ν > 0, got \(degreesOfFreedom)")
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// P(T <= t).
    public func cdf(_ t: Double) -> Double {
        let nu = degreesOfFreedom
        let tail = 0.5 * RegularizedBeta.value(x: nu / (nu + t * t), a: nu / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The t with `cdf(t) == p`, for 0 < p < 1; e.g. `quantile(0.975)` is the factor of a
    /// two-sided 95% interval (12.706 for ν = 1, 2.776 for ν = 4, 1.960 as ν → ∞).
    public func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "a quantile needs 0 < p < 1, got \(p)")
        if p < 0.5 { return -quantile(1 - p) }
        var low = 0.0, high = 1.0
        while cdf(high) < p { low = high; high *= 2 }
        for _ in 0..<200 where high - low > 1e-12 * max(1, high) {
            let middle = (low + high) / 2
            if cdf(middle) < p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }
}

/// The regularised incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), by the
/// continued fraction of Numerical Recipes (3rd ed., §6.4) evaluated with the modified
/// Lentz method, using the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where it converges faster.
enum RegularizedBeta {
    static func value(x: Double, a: Double, b: Double) -> Double {
        precondition(a > 0 && b > 0, "I_x(a, b) needs a, b > 0")
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * continuedFraction(x: 1 - x, a: b, b: a) / b
    }

    private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300, epsilon = 1e-15
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m), m2 = 2 * m
            var numerator = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < epsilon { break }
        }
        return h
    }
}
