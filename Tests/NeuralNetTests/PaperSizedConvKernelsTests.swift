import Foundation
import TensorKit
import XCTest
@testable import NeuralNet

/// The direct kernels for the convolutions the stride-1 ones do not cover: the paper-sized
/// network's 11 x 11 stride-4 conv1, its 8 x 8 stride-4 shallow convolutions and its 26- and
/// 12-wide deep ones. The channel-lane forward kernel (`DirectConvolution.forwardByChannels`)
/// and the weight-gradient kernel with a stride must compute
/// OpenBLAS's fused multiply-add chains (the scalar emulation in `DirectConvolutionTests`),
/// and `Conv2D` with them the bits of im2col + sgemm.
final class PaperSizedConvKernelsTests: XCTestCase {
    /// Scaled-down paper-sized geometries, each with what it exercises: stride 4 with K = 363
    /// cut mid-channel (192 + 171) and 96 channels (a 4-vector and a 2-vector tile); K = 192
    /// in one block; "same" 5 x 5 on a 26-wide image (K = 1200: 320, 320, 288, 272) with
    /// 48 channels (a 2-vector and a 1-vector tile); 3 x 3 on a 12-wide image; padding with a
    /// stride; 352 output channels (five 4-vector tiles and a 2-vector one); 33 x 33 = 1,089
    /// output pixels, more than one pass of the forward kernel (1,024); pixel counts that leave
    /// remainders for every tile.
    static let cases: [(channels: Int, size: Int, kernel: Int, stride: Int, padding: Int, outChannels: Int)] = [
        (3, 63, 11, 4, 0, 96), (3, 56, 8, 4, 0, 32), (48, 26, 5, 1, 2, 48), (64, 12, 3, 1, 1, 64),
        (32, 57, 3, 2, 1, 16), (16, 12, 3, 1, 1, 352), (3, 139, 11, 4, 0, 32),
    ]

    func testKernelsComputeOpenBLASsChains() throws {
        guard DirectConvolution.cpuSupportsKernels else {
            print("testKernelsComputeOpenBLASsChains: the AVX-512 kernels did not run: this CPU has no AVX-512F and FMA")
            return XCTAssertFalse(DirectConvolution.isAvailable, "the kernels must not be taken on this CPU")
        }
        for c in Self.cases {
            let g = ConvGeometry(channels: c.channels, height: c.size, width: c.size, kernelH: c.kernel,
                                 kernelW: c.kernel, stride: c.stride, padding: c.padding)
            let name = "\(c.channels)->\(c.outChannels) k\(c.kernel)/\(c.stride) on \(c.size)"
            XCTAssertTrue(DirectConvolution.appliesByChannels(to: g, outChannels: c.outChannels), name)
            XCTAssertFalse(DirectConvolution.applies(to: g, outChannels: c.outChannels), name)
            let x = GradientCheck.random([c.channels, c.size, c.size], seed: 1, name: "x")
            let w = GradientCheck.random([c.outChannels, g.patchSize], seed: 2, name: "w")
            for i in stride(from: 0, to: w.count, by: 7) { w[flat: i] = -0.0 }  // -0 products must end as +0
            let columns = Tensor(zeros: [g.patchSize * g.outPixels])
            im2col(x.pointer, g, into: columns.pointer)
            let packed = Tensor(zeros: [DirectConvolution.packedChannelSize(g, outChannels: c.outChannels)])
            DirectConvolution.packByChannels(w.pointer, g, outChannels: c.outChannels, into: packed.pointer)
            let padded = Tensor(zeros: [DirectConvolution.paddedSize(g)])
            let yT = Tensor(zeros: [c.outChannels * g.outPixels])
            let y = Tensor(zeros: [c.outChannels, g.outPixels])
            y.pointer.update(repeating: .nan, count: y.count)  // every entry must be written
            let taps = DirectConvolution.channelTaps(g)
            DirectConvolution.forwardByChannels(x.pointer, g, taps: taps, packed: packed.pointer,
                                                outChannels: c.outChannels, padded: padded.pointer, yT: yT.pointer,
                                                into: y.pointer)
            let expected = DirectConvolutionTests.forwardChains(w, columns, m: c.outChannels, k: g.patchSize,
                                                                n: g.outPixels)
            XCTAssertEqual(DirectConvolutionTests.bits(y), DirectConvolutionTests.bits(expected), "forward \(name)")

            // Two images' worth: the second accumulates onto the first (sgemm's beta 1).
            XCTAssertTrue(DirectConvolution.appliesToWeightGradient(g, outChannels: c.outChannels), name)
            let dy = GradientCheck.random([c.outChannels, g.outPixels], seed: 3, name: "dy")
            for i in stride(from: 0, to: dy.count, by: 3) { dy[flat: i] = 0 }  // ReLU-masked entries
            let dyT = Tensor(zeros: [dy.count])
            let dwT = Tensor(zeros: [g.patchSize * c.outChannels])
            for _ in 0..<2 {
                DirectConvolution.accumulateWeightGradient(x.pointer, g, dy: dy.pointer, outChannels: c.outChannels,
                                                           padded: padded.pointer, dyT: dyT.pointer, into: dwT.pointer)
            }
            let expectedW = DirectConvolutionTests.weightGradientChains(columns, dy, k: g.patchSize,
                                                                        outChannels: c.outChannels,
                                                                        pixels: g.outPixels, images: 2)
            XCTAssertEqual(DirectConvolutionTests.bits(dwT), DirectConvolutionTests.bits(expectedW),
                           "weight gradient \(name)")

            // The same two images at once, as a chunk (`weightGradientByImages`), onto +0.
            let paddedPair = Tensor(zeros: [2 * DirectConvolution.paddedSize(g)])
            let dyTPair = Tensor(zeros: [2 * dy.count])
            for i in 0..<2 {
                DirectConvolution.stageWeightGradient(x.pointer, g, dy: dy.pointer, outChannels: c.outChannels,
                                                      padded: paddedPair.pointer + i * DirectConvolution.paddedSize(g),
                                                      dyT: dyTPair.pointer + i * dy.count)
            }
            let dwTPair = Tensor(zeros: [g.patchSize * c.outChannels])
            DirectConvolution.accumulateWeightGradients(images: 2, g, outChannels: c.outChannels,
                                                        padded: paddedPair.pointer, dyT: dyTPair.pointer,
                                                        into: dwTPair.pointer)
            XCTAssertEqual(DirectConvolutionTests.bits(dwTPair), DirectConvolutionTests.bits(expectedW),
                           "weight gradient by images \(name)")
        }
    }

    /// The paper-sized conv1 and 4:1 shallow convolution, a scaled-down conv2 (26 wide, with
    /// input gradient) and a scaled-down conv3 (12 wide, 1,152 x 256 entries of dW^T, so its
    /// weight gradient runs by images: a batch of 18 in six chunks of 3) in `Conv2D` (fused
    /// ReLU; the others a batch of 3) take the kernels where the process runs the AVX-512
    /// path, and give the bits of im2col + sgemm forward and backward, twice (the second on
    /// reused buffers and repacked weights).
    func testConv2DGivesTheBitsOfIm2colAndSgemm() throws {
        let layers: [(channels: Int, outChannels: Int, kernel: Int, stride: Int, padding: Int, size: Int,
                      inputGradient: Bool, batch: Int)] = [
            (3, 96, 11, 4, 0, 225, false, 3), (3, 96, 8, 4, 0, 56, false, 3), (32, 48, 5, 1, 2, 26, true, 3),
            (128, 256, 3, 1, 1, 12, true, 18),
        ]
        for l in layers {
            let streams = RandomStreams(seed: 7)
            func layer(_ algorithm: ConvAlgorithm) -> Conv2D {
                let conv = Conv2D(name: "conv", inChannels: l.channels, outChannels: l.outChannels,
                                  kernelSize: l.kernel, stride: l.stride, padding: l.padding, activation: .relu,
                                  streams: streams)
                conv.algorithm = algorithm
                conv.computesInputGradient = l.inputGradient
                return conv
            }
            let automatic = layer(.automatic), reference = layer(.im2col)
            let x = GradientCheck.random([l.batch, l.channels, l.size, l.size], seed: 8, name: "x")
            let g = automatic.geometry(x)
            let name = "k\(l.kernel)/\(l.stride) on \(l.size)"
            XCTAssertEqual(DirectConvolution.weightGradientByImages(g, outChannels: l.outChannels), l.batch > 3, name)
            XCTAssertEqual(automatic.usesChannelForward(g), DirectConvolution.isAvailable, name)
            XCTAssertEqual(automatic.usesDirectWeightGradient(g), DirectConvolution.isAvailable, name)
            XCTAssertFalse(reference.usesChannelForward(g) || reference.usesDirectWeightGradient(g), name)
            let dy = GradientCheck.random([l.batch, l.outChannels, g.outHeight, g.outWidth], seed: 9, name: "dy")
            for step in 0..<2 {
                XCTAssertEqual(DirectConvolutionTests.bits(automatic.forward(x, training: true)),
                               DirectConvolutionTests.bits(reference.forward(x, training: true)),
                               "forward \(name) step \(step)")
                let dx = automatic.backward(dy), expectedDx = reference.backward(dy)
                XCTAssertEqual(DirectConvolutionTests.bits(automatic.weight.grad),
                               DirectConvolutionTests.bits(reference.weight.grad), "dW \(name) step \(step)")
                XCTAssertEqual(DirectConvolutionTests.bits(automatic.bias.grad),
                               DirectConvolutionTests.bits(reference.bias.grad), "db \(name) step \(step)")
                if l.inputGradient {
                    XCTAssertEqual(DirectConvolutionTests.bits(try XCTUnwrap(dx)),
                                   DirectConvolutionTests.bits(try XCTUnwrap(expectedDx)), "dx \(name)")
                }
                for conv in [automatic, reference] {
                    for i in 0..<conv.weight.value.count {
                        conv.weight.value[flat: i] -= 0.01 * reference.weight.grad[flat: i]
                    }
                }
            }
        }
    }

    func testWhichLayersTheKernelsCover() {
        func g(_ channels: Int, _ size: Int, _ kernel: Int, stride: Int, padding: Int = 0) -> ConvGeometry {
            ConvGeometry(channels: channels, height: size, width: size, kernelH: kernel, kernelW: kernel,
                         stride: stride, padding: padding)
        }
        XCTAssertTrue(DirectConvolution.appliesByChannels(to: g(3, 225, 11, stride: 4), outChannels: 96))  // conv1
        XCTAssertTrue(DirectConvolution.appliesByChannels(to: g(96, 26, 5, stride: 1, padding: 2), outChannels: 256))
        XCTAssertTrue(DirectConvolution.appliesByChannels(to: g(3, 56, 8, stride: 4), outChannels: 96))  // 4:1 part
        // The 8:1 part (6 x 6 outputs: 36 x 96 x 192 products) takes sgemm's small-matrix kernels.
        XCTAssertFalse(DirectConvolution.appliesByChannels(to: g(3, 28, 8, stride: 4), outChannels: 96))
        XCTAssertFalse(DirectConvolution.appliesByChannels(to: g(3, 225, 11, stride: 4), outChannels: 88))
        XCTAssertTrue(DirectConvolution.appliesToWeightGradient(g(3, 225, 11, stride: 4), outChannels: 96))
        XCTAssertTrue(DirectConvolution.appliesToWeightGradient(g(96, 26, 5, stride: 1, padding: 2), outChannels: 256))
        XCTAssertTrue(DirectConvolution.appliesToWeightGradient(g(3, 28, 8, stride: 4), outChannels: 96))  // 8:1 part
        // conv5: 144 output pixels would pass over 3,456 x 256 entries of dW^T per image, so
        // its weight gradient runs on a chunk's images at once; conv1's and conv2's image by image.
        XCTAssertTrue(DirectConvolution.appliesToWeightGradient(g(384, 12, 3, stride: 1, padding: 1), outChannels: 256))
        XCTAssertTrue(DirectConvolution.weightGradientByImages(g(384, 12, 3, stride: 1, padding: 1), outChannels: 256))
        XCTAssertFalse(DirectConvolution.weightGradientByImages(g(96, 26, 5, stride: 1, padding: 2), outChannels: 256))
        XCTAssertFalse(DirectConvolution.weightGradientByImages(g(3, 225, 11, stride: 4), outChannels: 96))
        XCTAssertFalse(DirectConvolution.appliesToWeightGradient(g(3, 64, 7, stride: 2), outChannels: 96))  // no 7 x 7 tiles
        XCTAssertFalse(DirectConvolution.appliesToWeightGradient(g(3, 225, 11, stride: 4), outChannels: 88))
    }
}
