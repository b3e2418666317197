@testable import Features
import XCTest

/// The cross-product binning of `HOG.orientationBin` against skimage's atan2 arithmetic
/// (`HOG.exactBin`), on random gradients and on gradients exactly on bin bounds
/// (0, 45, 90, 135 degrees with 4 or 8 orientations, where the guard band must hand over
/// to the exact path).
final class HOGBinningTests: XCTestCase {
    func testCrossProductBinsEqualSkimageBins() throws {
        var stream = RandomStreamForTests(seed: 9)
        for orientations in [1, 4, 6, 7, 8, 9, 12] {
            let hog = try HOG(orientations: orientations)
            let n = orientations
            var cosines = (1..<max(n, 1)).map { cos(Double($0) * Double.pi / Double(n)) }
            var sines = (1..<max(n, 1)).map { sin(Double($0) * Double.pi / Double(n)) }
            cosines.append(0); sines.append(0)
            var gradients: [(Float, Float)] = [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1), (1, -1),
                                               (-1, 1), (0.5, -0.0), (-0.5, -0.0), (-0.25, 0), (3e-8, -1)]
            for _ in 0..<20000 {
                gradients.append((2 * stream.uniform() - 1, 2 * stream.uniform() - 1))
            }
            for (gx, gy) in gradients {
                let x = Double(gx), y = Double(gy)
                let magnitude = (x * x + y * y).squareRoot()
                let fast = cosines.withUnsafeBufferPointer { c in
                    sines.withUnsafeBufferPointer { s in
                        hog.orientationBin(gx: x, gy: y, magnitude: magnitude, cosines: c.baseAddress!, sines: s.baseAddress!)
                    }
                }
                XCTAssertEqual(fast, hog.exactBin(gx: x, gy: y), "n \(n), gradient (\(gx), \(gy))")
            }
        }
    }
}
