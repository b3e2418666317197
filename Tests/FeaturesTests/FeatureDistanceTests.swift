import Features
import XCTest

final class FeatureDistanceTests: XCTestCase {
    func testKnownVectors() {
        let a: [Float] = [1, 0, 2, 0]
        let b: [Float] = [0, 0, 4, 1]
        XCTAssertEqual(FeatureDistance.l1(a, b), 1 + 0 + 2 + 1)
        XCTAssertEqual(FeatureDistance.squaredL2(a, b), 1 + 0 + 4 + 1)
        XCTAssertEqual(FeatureDistance.l2(a, b), Float(6).squareRoot(), accuracy: 1e-6)
        // (1)^2/1 + 0/0 (= 0) + (2)^2/6 + (1)^2/1
        XCTAssertEqual(FeatureDistance.chiSquare(a, b), 1 + 4.0 / 6 + 1, accuracy: 1e-6)
        XCTAssertEqual(FeatureDistance.chiSquare([0, 0], [0, 0]), 0)
        XCTAssertEqual(FeatureDistance(rawValue: "chi-square"), .chiSquare)
        XCTAssertEqual(FeatureDistance(rawValue: "squared-l2"), .squaredL2)
    }

    /// The SIMD paths (16 lanes) and the scalar tail agree with a plain Double loop.
    func testLongVectorsMatchAPlainLoop() {
        var stream = RandomStreamForTests(seed: 3)
        for count in [1, 15, 16, 17, 100, 1764] {
            var a = (0..<count).map { _ in stream.uniform() }
            let b = (0..<count).map { _ in stream.uniform() }
            if count > 3 { a[2] = 0; a[3] = 0 }  // a zero term for chi-square: b is not 0 there
            var l1 = 0.0, l2 = 0.0, chi = 0.0
            for i in 0..<count {
                let d = Double(a[i]) - Double(b[i]), s = Double(a[i]) + Double(b[i])
                l1 += abs(d); l2 += d * d
                if s != 0 { chi += d * d / s }
            }
            XCTAssertEqual(Double(FeatureDistance.l1(a, b)), l1, accuracy: 1e-4 * max(1, l1))
            XCTAssertEqual(Double(FeatureDistance.squaredL2(a, b)), l2, accuracy: 1e-4 * max(1, l2))
            XCTAssertEqual(Double(FeatureDistance.l2(a, b)), l2.squareRoot(), accuracy: 1e-4 * max(1, l2))
            XCTAssertEqual(Double(FeatureDistance.chiSquare(a, b)), chi, accuracy: 1e-4 * max(1, chi))
        }
    }
}

/// A tiny deterministic generator for test data (independent of the code under test).
struct RandomStreamForTests {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> UInt64 {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return state
    }
    mutating func uniform() -> Float { Float(next() >> 40) / 16_777_216 }
}
