import NeuralNet
import TensorKit
import XCTest

/// The vectorised 2x2 max-pool against a direct reference, including ties (ReLU outputs
/// are often exactly 0), where the gradient must go to the first maximum as in PyTorch.
final class MaxPoolTests: XCTestCase {
    func reference(_ x: Tensor, _ dy: Tensor) -> (y: [Float], dx: [Float]) {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let ho = h / 2, wo = w / 2
        var y = [Float](repeating: 0, count: n * c * ho * wo), dx = [Float](repeating: 0, count: x.count)
        for plane in 0..<(n * c) { for oy in 0..<ho { for ox in 0..<wo {
            var best = -Float.infinity, bestIndex = 0
            for (dyy, dxx) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                let i = plane * h * w + (2 * oy + dyy) * w + 2 * ox + dxx
                if x[flat: i] > best { best = x[flat: i]; bestIndex = i }
            }
            let o = (plane * ho + oy) * wo + ox
            y[o] = best
            dx[bestIndex] += dy[flat: o]
        } } }
        return (y, dx)
    }

    func testVectorisedPathMatchesReferenceWithTies() {
        for (h, w) in [(16, 16), (8, 20), (7, 35), (2, 2)] {
            let x = GradientCheck.random([2, 3, h, w], seed: 30, name: "x\(h)x\(w)")
            // Quantise and clip so that many windows have ties, several of them all zeros.
            for i in 0..<x.count { x[flat: i] = max(0, (x[flat: i] * 3).rounded()) }
            let pool = MaxPool2D(kernelSize: 2)
            let y = pool.forward(x, training: true)
            let dy = GradientCheck.random(y.shape, seed: 31, name: "dy\(h)x\(w)")
            let expected = reference(x, dy)
            XCTAssertEqual(y.array, expected.y, "\(h)x\(w) y")
            XCTAssertEqual(pool.backward(dy)!.array, expected.dx, "\(h)x\(w) dx")
        }
    }

    /// Overlapping and strided windows (AlexNet's 3/2, the shallow parts' 3/3 and 3/1, a padded
    /// 3/2), eight outputs at a time plus the rest, against the one-output scan: the first
    /// maximum in row-major order takes the gradient, a NaN is kept wherever it comes.
    func testAnyWindowMatchesTheScanWithTiesAndNaNs() {
        for (kernel, stride, padding, h, w) in [(3, 2, 0, 54, 54), (3, 2, 0, 26, 26), (3, 3, 0, 13, 13),
                                                  (3, 1, 0, 6, 40), (3, 2, 1, 9, 37), (2, 1, 0, 5, 19)] {
            let x = GradientCheck.random([2, 3, h, w], seed: 32, name: "x\(kernel)/\(stride)")
            for i in 0..<x.count { x[flat: i] = max(0, (x[flat: i] * 3).rounded()) }
            x[flat: 5] = .nan
            x[flat: x.count - 3] = .nan
            let pool = MaxPool2D(kernelSize: kernel, stride: stride, padding: padding)
            let y = pool.forward(x, training: true)
            let (ho, wo) = (y.shape[2], y.shape[3])
            let dy = GradientCheck.random(y.shape, seed: 33, name: "dy\(kernel)/\(stride)")
            var expectedY = [Float](repeating: 0, count: y.count), expectedDx = [Float](repeating: 0, count: x.count)
            for plane in 0..<6 { for oy in 0..<ho { for ox in 0..<wo {
                let y0 = max(oy * stride - padding, 0), y1 = min(oy * stride - padding + kernel, h)
                let x0 = max(ox * stride - padding, 0), x1 = min(ox * stride - padding + kernel, w)
                var best = -Float.infinity, bestIndex = plane * h * w + y0 * w + x0
                for iy in y0..<y1 { for ix in x0..<x1 {
                    let i = plane * h * w + iy * w + ix
                    if x[flat: i] > best || x[flat: i].isNaN { best = x[flat: i]; bestIndex = i }
                } }
                let o = (plane * ho + oy) * wo + ox
                expectedY[o] = best
                expectedDx[bestIndex] += dy[flat: o]
            } } }
            let label = "\(kernel)/\(stride) pad \(padding) on \(h)x\(w)"
            XCTAssertEqual(y.array.map(\.bitPattern), expectedY.map(\.bitPattern), label)
            XCTAssertEqual(pool.backward(dy)!.array.map(\.bitPattern), expectedDx.map(\.bitPattern), label)
        }
    }
}
