import Foundation
import NeuralNet
import TensorKit
import XCTest

/// `LocalResponseNorm` computes each window's terms once per channel and keeps `s^-beta` from
/// the forward pass; its bits must stay those of the one-pixel-at-a-time formula every
/// committed run file was made with (PyTorch parity is `TorchParityTests`' job).
final class LocalResponseNormTests: XCTestCase {
    /// The formula pixel by pixel, as the layer computed it before.
    static func scan(_ x: Tensor, _ dy: Tensor, size: Int, alpha: Float, beta: Float, k: Float)
        -> (y: [Float], dx: [Float]) {
        let (n, c, hw) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
        let (before, after) = (size / 2, (size - 1) / 2)
        let a = alpha / Float(size), factor = 2 * alpha * beta / Float(size)
        var s = [Float](repeating: 0, count: x.count), y = s, dx = s
        for image in 0..<n { for ch in 0..<c { for p in 0..<hw {
            var sum: Float = 0
            for j in max(0, ch - before)...min(c - 1, ch + after) {
                let v = x[flat: (image * c + j) * hw + p]
                sum += v * v
            }
            let i = (image * c + ch) * hw + p
            s[i] = k + a * sum
            y[i] = x[flat: i] * powf(s[i], -beta)
        } } }
        for image in 0..<n { for ch in 0..<c { for p in 0..<hw {
            var sum: Float = 0
            for j in max(0, ch - after)...min(c - 1, ch + before) {
                let i = (image * c + j) * hw + p
                sum += dy[flat: i] * y[i] / s[i]
            }
            let i = (image * c + ch) * hw + p
            dx[i] = dy[flat: i] * powf(s[i], -beta) - factor * x[flat: i] * sum
        } } }
        return (y, dx)
    }

    func testWindowsComputedOnceGiveThePixelScansBits() {
        // Zeros and negative zeros as ReLU outputs and their gradients give them; a large alpha
        // so that the window sums matter in every bit.
        let x = GradientCheck.random([3, 7, 5, 9], seed: 40, name: "lrn x")
        let dy = GradientCheck.random([3, 7, 5, 9], seed: 41, name: "lrn dy")
        for i in stride(from: 0, to: x.count, by: 3) { x[flat: i] = 0 }
        for i in stride(from: 1, to: dy.count, by: 4) { dy[flat: i] = -0.0 }
        for (size, alpha) in [(5, Float(1e-4)), (5, 2), (4, 0.5), (1, 1)] {
            let expected = Self.scan(x, dy, size: size, alpha: alpha, beta: 0.75, k: 2)
            for threads in [1, 2] {
                Parallel.configure(threads: threads)
                let layer = LocalResponseNorm(size: size, alpha: alpha, beta: 0.75, k: 2)
                let y = layer.forward(x, training: true)
                let dx = layer.backward(dy)!
                let label = "size \(size), alpha \(alpha), \(threads) thread(s)"
                XCTAssertEqual(y.array.map(\.bitPattern), expected.y.map(\.bitPattern), label)
                XCTAssertEqual(dx.array.map(\.bitPattern), expected.dx.map(\.bitPattern), label)
            }
        }
        Parallel.configure(threads: 1)
    }
}
