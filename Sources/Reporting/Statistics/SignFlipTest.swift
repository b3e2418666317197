import Foundation

/// The exact paired sign-flip (permutation) test on per-triplet differences, used for the
/// report's p-values of a row against the best row.
///
/// Two rows are scored on the same evaluation triplets within a seed, so each triplet gives
/// a paired difference d_i: of outcomes (1, 0.5 for a tie, 0; d in half-units, so
/// d ∈ {-2, ..., 2}) or of Score-at-top-K contributions (+1, 0, -1; d ∈ {-2, ..., 2}).
/// Differences of every seed are pooled. Under the null hypothesis that the two rows are
/// exchangeable, each d_i is equally likely to have either sign, so the statistic
/// S = Σ d_i has the distribution of Σ ±|d_i|. With n1 differences of size 1 and n2 of
/// size 2, S = (2·B1 - n1) + 2·(2·B2 - n2) with B1 ~ Bin(n1, 1/2), B2 ~ Bin(n2, 1/2)
/// independent, and the two-sided p-value P(|S| >= |s_observed|) is summed exactly over B2
/// with binomial tails of B1: no random resampling, so the report is deterministic. With
/// only unit differences this is the exact McNemar (sign) test.
public struct SignFlipTest: Equatable, Sendable {
    /// Differences of size 1 and of size 2 (zeros do not count).
    public var unitCount: Int
    public var doubleCount: Int
    /// Σ d_i.
    public var statistic: Int
    /// Two-sided, in (0, 1].
    public var pValue: Double

    /// Differences of `-2...2`; anything else is a programmer error (callers convert
    /// outcomes and contributions with `halfUnits` and check them).
    public init(differences: [Int]) {
        var n1 = 0, n2 = 0, s = 0
        for d in differences {
            precondition((-2...2).contains(d), "sign-flip differences are -2...2, got \(d)")
            if abs(d) == 1 { n1 += 1 } else if abs(d) == 2 { n2 += 1 }
            s += d
        }
        unitCount = n1; doubleCount = n2; statistic = s
        pValue = Self.pValue(n1: n1, n2: n2, observed: abs(s))
    }

    /// P(|S| >= observed) for S = (2·B1 - n1) + 2·(2·B2 - n2).
    static func pValue(n1: Int, n2: Int, observed: Int) -> Double {
        if observed == 0 { return 1 }
        let pmf1 = binomialHalf(n1), pmf2 = binomialHalf(n2)
        // atLeast[k] = P(B1 >= k), atMost[k] = P(B1 <= k), each summed from its own end.
        var atLeast = [Double](repeating: 0, count: n1 + 2)
        for k in stride(from: n1, through: 0, by: -1) { atLeast[k] = atLeast[k + 1] + pmf1[k] }
        var atMost = [Double](repeating: 0, count: n1 + 1)
        var running = 0.0
        for k in 0...n1 { running += pmf1[k]; atMost[k] = running }
        func upper(_ k: Int) -> Double { k <= 0 ? 1 : (k > n1 ? 0 : atLeast[k]) }
        func lower(_ k: Int) -> Double { k < 0 ? 0 : (k >= n1 ? 1 : atMost[k]) }
        var total = 0.0
        for b2 in 0...n2 {
            let x2 = 2 * (2 * b2 - n2)
            // X1 = 2·B1 - n1 >= observed - x2  <=>  B1 >= ceil((observed - x2 + n1) / 2)
            let high = observed - x2 + n1
            let upperTail = upper(high >= 0 ? (high + 1) / 2 : -((-high) / 2))
            // X1 <= -observed - x2  <=>  B1 <= floor((-observed - x2 + n1) / 2)
            let low = -observed - x2 + n1
            let lowerTail = lower(low >= 0 ? low / 2 : -((-low + 1) / 2))
            total += pmf2[b2] * (upperTail + lowerTail)
        }
        return min(1, total)
    }

    /// P(B = k) for B ~ Bin(n, 1/2), k = 0...n, through log-gamma.
    static func binomialHalf(_ n: Int) -> [Double] {
        let logAll = lgamma(Double(n) + 1) - Double(n) * log(2.0)
        return (0...n).map { k in exp(logAll - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1)) }
    }
}
