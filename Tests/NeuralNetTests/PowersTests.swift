import CPowers
import Foundation
import TensorKit
import XCTest

/// `dr_power_minus_three_quarters` (local response normalisation's `s^-beta` at beta = 3/4)
/// gives `powf(s, -0.75f)` bit for bit: on every positive normal float, and on the values that
/// always go to `powf` (zeros, subnormals, infinities, NaN, negatives).
final class PowersTests: XCTestCase {
    /// 2,130,706,432 floats from FLT_MIN to FLT_MAX, in two halves on two threads.
    func testEveryPositiveNormalFloatGivesPowfsBits() {
        let first: UInt32 = 0x0080_0000, end: UInt32 = 0x7F80_0000
        let middle = first + (end - first) / 2
        let ranges = [(first, middle), (middle, end)]
        var mismatches = [Int64](repeating: -1, count: ranges.count)
        mismatches.withUnsafeMutableBufferPointer { counts in
            let base = counts.baseAddress!
            DispatchQueue.concurrentPerform(iterations: ranges.count) { i in
                base[i] = dr_power_minus_three_quarters_mismatches(ranges[i].0, ranges[i].1)
            }
        }
        XCTAssertEqual(mismatches, [0, 0])
    }

    func testValuesLeftToPowf() {
        let values: [Float] = [0, -0.0, .leastNonzeroMagnitude, .leastNormalMagnitude.nextDown, .infinity, -.infinity,
                               .nan, -1, -2.5, 1, 2, .greatestFiniteMagnitude]
        var out = [Float](repeating: 0, count: values.count)
        dr_power_minus_three_quarters(values, Int32(values.count), &out)
        for (s, y) in zip(values, out) {
            XCTAssertEqual(y.bitPattern, powf(s, -0.75).bitPattern, "s = \(s)")
        }
    }
}
