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
}
