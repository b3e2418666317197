import Foundation
import Reporting
import XCTest

/// The report's statistics against values somebody else computed: Student's t quantiles
/// from printed tables (e.g. NIST/SEMATECH e-Handbook, table 1.4.2.7.2, two-sided 95%
/// column = the 0.975 quantile), means and CIs by hand, and the sign-flip test against
/// exact binomial sums and a brute-force enumeration of all sign flips.
final class StatisticsTests: XCTestCase {
    func testStudentTQuantilesMatchTheTable() {
        let table: [(Double, Double)] = [(1, 12.706), (2, 4.303), (3, 3.182), (4, 2.776), (5, 2.571), (6, 2.447),
                                         (9, 2.262), (10, 2.228), (20, 2.086), (30, 2.042), (100, 1.984)]
        for (nu, expected) in table {
            XCTAssertEqual(StudentT(degreesOfFreedom: nu).quantile(0.975), expected, accuracy: 5e-4, "ν = \(nu)")
        }
        // More digits: scipy 1.17.1 `scipy.stats.t.ppf(0.975, ν)` for ν = 1, 2, 4 (ν = 1: tan(0.475π)).
        XCTAssertEqual(StudentT(degreesOfFreedom: 1).quantile(0.975), 12.706204736174694, accuracy: 1e-8)
        XCTAssertEqual(StudentT(degreesOfFreedom: 2).quantile(0.975), 4.302652729749462, accuracy: 1e-8)
        XCTAssertEqual(StudentT(degreesOfFreedom: 4).quantile(0.975), 2.7764451051977934, accuracy: 1e-8)
        XCTAssertEqual(StudentT(degreesOfFreedom: 1e6).quantile(0.975), 1.959966356814107, accuracy: 1e-6)
        XCTAssertEqual(StudentT(degreesOfFreedom: 4).quantile(0.025), -2.7764451051977934, accuracy: 1e-8)
        XCTAssertEqual(StudentT(degreesOfFreedom: 3).cdf(0), 0.5, accuracy: 1e-15)
        // ν = 1 is the Cauchy distribution: F(t) = 1/2 + atan(t)/π.
        XCTAssertEqual(StudentT(degreesOfFreedom: 1).cdf(2), 0.5 + atan(2) / Double.pi, accuracy: 1e-12)
    }

    func testMeanAndConfidenceIntervalByHand() throws {
        // 0.80, 0.82, 0.84: mean 0.82, s = 0.02, half-width t(0.975, 2) · 0.02 / √3.
        let s = try XCTUnwrap(MetricSummary(values: [0.80, 0.82, 0.84]))
        XCTAssertEqual(s.mean, 0.82, accuracy: 1e-12)
        XCTAssertEqual(s.n, 3)
        XCTAssertEqual(try XCTUnwrap(s.halfWidth), 4.302652729749462 * 0.02 / 3.0.squareRoot(), accuracy: 1e-9)
        // Five seeds: 1...5, mean 3, s = √2.5, t(0.975, 4) = 2.7764451.
        let five = try XCTUnwrap(MetricSummary(values: [1, 2, 3, 4, 5]))
        XCTAssertEqual(try XCTUnwrap(five.halfWidth), 2.7764451051977934 * 2.5.squareRoot() / 5.0.squareRoot(), accuracy: 1e-9)
        // One seed: no interval; non-finite values are left out; nothing finite: no summary.
        XCTAssertNil(try XCTUnwrap(MetricSummary(values: [0.5])).halfWidth)
        XCTAssertEqual(try XCTUnwrap(MetricSummary(values: [1, .nan, 3])).n, 2)
        XCTAssertNil(MetricSummary(values: [.nan]))
    }

    func testSignFlipTestHandCheckedCases() {
        // McNemar: 10 discordant triplets, 9 favour A. p = 2 · P(B >= 9), B ~ Bin(10, 1/2) = 2 · 11/1024.
        let mcnemar = SignFlipTest(differences: Array(repeating: 1, count: 9) + [-1] + Array(repeating: 0, count: 40))
        XCTAssertEqual(mcnemar.pValue, 22.0 / 1024, accuracy: 1e-15)
        XCTAssertEqual(mcnemar.statistic, 8)
        XCTAssertEqual(mcnemar.unitCount, 10)
        // One tie-sized and one full difference: S ∈ {±1, ±3} each with probability 1/4; S = 3 -> p = 1/2.
        XCTAssertEqual(SignFlipTest(differences: [1, 2]).pValue, 0.5, accuracy: 1e-15)
        // S = 1 -> every outcome is at least as extreme.
        XCTAssertEqual(SignFlipTest(differences: [-1, 2]).pValue, 1, accuracy: 1e-15)
        // No difference at all.
        XCTAssertEqual(SignFlipTest(differences: [0, 0, 0]).pValue, 1)
        XCTAssertEqual(SignFlipTest(differences: []).pValue, 1)
        // 18 differences of 2 all one way: p = 2 / 2^18.
        XCTAssertEqual(SignFlipTest(differences: Array(repeating: 2, count: 18)).pValue, 2 / 262_144, accuracy: 1e-18)
    }

    func testSignFlipTestEqualsEnumerationOfAllSignFlips() {
        var seeded = SplitMix(state: 42)
        for _ in 0..<200 {
            let n = Int(seeded.next() % 13)
            let differences = (0..<n).map { _ in Int(seeded.next() % 5) - 2 }
            let observed = abs(differences.reduce(0, +))
            let magnitudes = differences.map(abs).filter { $0 != 0 }
            var extreme = 0
            for mask in 0..<(1 << magnitudes.count) {
                let s = magnitudes.enumerated().reduce(0) { $0 + ((mask >> $1.offset) & 1 == 1 ? $1.element : -$1.element) }
                if abs(s) >= observed { extreme += 1 }
            }
            let expected = Double(extreme) / Double(1 << magnitudes.count)
            XCTAssertEqual(SignFlipTest(differences: differences).pValue, expected, accuracy: 1e-12, "\(differences)")
        }
    }

    func testSignFlipTestOnLargePooledSets() {
        // 25,000 triplets (5 seeds of 5,000): balanced differences give p = 1 and the sums stay finite.
        let balanced = Array(repeating: 1, count: 3000) + Array(repeating: -1, count: 3000) + Array(repeating: 2, count: 500)
            + Array(repeating: -2, count: 500) + Array(repeating: 0, count: 18_000)
        XCTAssertEqual(SignFlipTest(differences: balanced).pValue, 1, accuracy: 1e-9)
        // S = 100 with Var S = 6000 · 1 + 1000 · 4: normal approximation z = 1, p ≈ 0.317.
        let shifted = Array(repeating: 1, count: 3050) + Array(repeating: -1, count: 2950) + Array(repeating: 2, count: 500)
            + Array(repeating: -2, count: 500)
        XCTAssertEqual(SignFlipTest(differences: shifted).pValue, 0.32, accuracy: 0.01)
    }
}

/// SplitMix64, for reproducible random test cases.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
