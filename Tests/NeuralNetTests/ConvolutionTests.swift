import NeuralNet
import TensorKit
import XCTest

/// The fast im2col + sgemm convolution against the direct reference kept beside it.
final class ConvolutionTests: XCTestCase {
    override func tearDown() { Parallel.configure(threads: 1) }

    func testFastConvolutionMatchesTheDirectReference() {
        let streams = RandomStreams(seed: 21)
        // (N, Cin, Cout, H, W, k, stride, pad): odd sizes, strides that do not divide,
        // padding wider than the stride, 1x1 (no im2col), more images than reduction chunks.
        let cases = [(2, 3, 4, 7, 7, 3, 1, 1), (3, 2, 5, 9, 8, 5, 2, 2), (1, 4, 3, 8, 8, 3, 2, 0),
                     (2, 3, 6, 17, 17, 8, 4, 0), (11, 3, 2, 6, 5, 1, 1, 0), (2, 2, 2, 5, 5, 4, 3, 3),
                     // "same" width, stride 1 (the block-copy im2col path), incl. tiny planes
                     (2, 3, 4, 6, 9, 5, 1, 2), (1, 2, 3, 4, 3, 5, 1, 2), (2, 2, 2, 1, 2, 3, 1, 1), (1, 1, 2, 2, 2, 5, 1, 2)]
        for threads in [1, 2] {
            Parallel.configure(threads: threads)
            for (n, cin, cout, h, w, k, s, p) in cases {
                let label = "N\(n) \(cin)->\(cout) \(h)x\(w) k\(k) s\(s) p\(p) threads \(threads)"
                let conv = Conv2D(name: "c", inChannels: cin, outChannels: cout, kernelSize: k, stride: s,
                                  padding: p, streams: streams)
                let x = GradientCheck.random([n, cin, h, w], seed: 22, name: label)
                let y = conv.forward(x, training: true)
                let expected = ReferenceConvolution.forward(x: x, weight: conv.weight.value, bias: conv.bias.value,
                                                            stride: s, padding: p)
                assertClose(y, expected, label + " y")
                let dy = GradientCheck.random(y.shape, seed: 23, name: label)
                conv.weight.grad.zero(); conv.bias.grad.zero()
                let dx = conv.backward(dy)!
                let ref = ReferenceConvolution.backward(x: x, weight: conv.weight.value, dy: dy, stride: s, padding: p)
                assertClose(dx, ref.dx, label + " dx")
                assertClose(conv.weight.grad, ref.dw, label + " dw")
                assertClose(conv.bias.grad, ref.db, label + " db")
            }
        }
    }

    func testFusedReLUEqualsConvolutionThenReLU() {
        let streams = RandomStreams(seed: 24)
        let plain = Conv2D(name: "c", inChannels: 3, outChannels: 4, kernelSize: 3, padding: 1, streams: streams)
        let fused = Conv2D(name: "c", inChannels: 3, outChannels: 4, kernelSize: 3, padding: 1, activation: .relu,
                           streams: streams)
        let relu = ReLU()
        let x = GradientCheck.random([3, 3, 6, 6], seed: 25, name: "x")
        let expected = relu.forward(plain.forward(x, training: true), training: true)
        XCTAssertEqual(fused.forward(x, training: true).array, expected.array)
        let dy = GradientCheck.random(expected.shape, seed: 26, name: "dy")
        let dxPlain = plain.backward(relu.backward(dy)!)!.array
        let dxFused = fused.backward(dy)!.array
        XCTAssertEqual(dxFused, dxPlain)
        XCTAssertEqual(fused.weight.grad.array, plain.weight.grad.array)
        XCTAssertEqual(fused.bias.grad.array, plain.bias.grad.array)
    }

    func testGradientsAccumulateAcrossBackwardCalls() {
        let conv = Conv2D(name: "c", inChannels: 2, outChannels: 2, kernelSize: 3, padding: 1,
                          streams: RandomStreams(seed: 27))
        let x = GradientCheck.random([2, 2, 4, 4], seed: 28, name: "x")
        let dy = GradientCheck.random([2, 2, 4, 4], seed: 29, name: "dy")
        _ = conv.forward(x, training: true)
        conv.backward(dy)
        let once = conv.weight.grad.array
        conv.backward(dy)
        for (a, b) in zip(conv.weight.grad.array, once) { XCTAssertEqual(a, 2 * b, accuracy: 1e-5) }
    }

    func assertClose(_ a: Tensor, _ b: Tensor, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.shape, b.shape, label, file: file, line: line)
        var worst: Float = 0
        for i in 0..<min(a.count, b.count) { worst = max(worst, abs(a[flat: i] - b[flat: i]) / max(1, abs(b[flat: i]))) }
        XCTAssertLessThan(worst, 2e-5, "\(label): max relative difference \(worst)", file: file, line: line)
    }
}
