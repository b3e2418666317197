import CConvKernels
import Foundation
import TensorKit
import XCTest
@testable import NeuralNet

/// `DirectConvolution`: its kernels compute OpenBLAS's fused multiply-add chains (checked
/// against a scalar emulation of them on any AVX-512 CPU), and `Conv2D` with them gives
/// the bits of im2col + sgemm (`BLAS.sgemm`, the chain kernels; `DirectConvolutionCLITests`
/// replays a run file made with im2col + OpenBLAS).
final class DirectConvolutionTests: XCTestCase {
    /// Geometries the kernels cover: several K blocks of pixels (HW 1024 = 320 + 320 + 192
    /// + 192) and of taps (K 576 = 288 + 288), kernel 5 and 3 with a remainder of tap rows,
    /// one and two vectors of 16 channels, output rows 64, 32 and 16 wide (each forward tile)
    /// with a remainder of rows; few-channel and packed forward tiles; the input gradient's
    /// tiles of 3, 2 and 1 rows.
    static let cases: [(channels: Int, height: Int, width: Int, kernel: Int, padding: Int, outChannels: Int)] = [
        (3, 32, 32, 5, 2, 32), (4, 32, 32, 3, 1, 48), (1, 16, 16, 5, 2, 16), (3, 34, 34, 3, 0, 32),
        (3, 64, 64, 5, 2, 16), (2, 19, 16, 3, 1, 16), (3, 17, 32, 5, 2, 32),
        (32, 32, 32, 3, 1, 64), (64, 16, 16, 3, 1, 128), (8, 32, 32, 5, 2, 16), (16, 19, 16, 3, 1, 32),
        (24, 17, 48, 3, 1, 16), (16, 18, 34, 3, 0, 32),
    ]

    /// Whether this CPU runs the kernels (AVX-512F and FMA). Where it does not, the kernels
    /// cannot run and `Conv2D` never takes them (it uses im2col + sgemm, which
    /// `ConvolutionTests` check): the test says it did not run them, and checks that.
    func kernelsRun(_ test: String) -> Bool {
        if DirectConvolution.cpuSupportsKernels { return true }
        print("\(test): the AVX-512 kernels did not run: this CPU has no AVX-512F and FMA")
        XCTAssertFalse(DirectConvolution.isAvailable, "the kernels must not be taken on this CPU")
        return false
    }

    func testKernelsComputeOpenBLASsChains() throws {
        guard kernelsRun("testKernelsComputeOpenBLASsChains") else { return }
        var inputGradientCases = 0
        defer { XCTAssertEqual(inputGradientCases, 5) }
        for c in Self.cases {
            let g = ConvGeometry(channels: c.channels, height: c.height, width: c.width, kernelH: c.kernel,
                                 kernelW: c.kernel, stride: 1, padding: c.padding)
            let name = "\(c.channels)->\(c.outChannels) k\(c.kernel) on \(c.height)x\(c.width)"
            let x = GradientCheck.random([c.channels, c.height, c.width], seed: 1, name: "x")
            let w = GradientCheck.random([c.outChannels, g.patchSize], seed: 2, name: "w")
            let dy = GradientCheck.random([c.outChannels, g.outPixels], seed: 3, name: "dy")
            for i in stride(from: 0, to: dy.count, by: 3) { dy[flat: i] = 0 }  // ReLU-masked entries
            let padded = Tensor(zeros: [DirectConvolution.paddedSize(g)])
            let dyT = Tensor(zeros: [dy.count])
            let columns = Tensor(zeros: [g.patchSize * g.outPixels])
            im2col(x.pointer, g, into: columns.pointer)

            let y = Tensor(zeros: [c.outChannels, g.outPixels])
            let packed = Tensor(zeros: [max(1, DirectConvolution.packedForwardSize(g, outChannels: c.outChannels))])
            DirectConvolution.packForward(w.pointer, g, outChannels: c.outChannels, into: packed.pointer)
            DirectConvolution.forward(x.pointer, g, weight: w.pointer, packed: packed.pointer,
                                      outChannels: c.outChannels, padded: padded.pointer, into: y.pointer)
            let expectedY = Self.forwardChains(w, columns, m: c.outChannels, k: g.patchSize, n: g.outPixels)
            XCTAssertEqual(Self.bits(y), Self.bits(expectedY), "forward \(name)")

            if DirectConvolution.appliesToInputGradient(g, outChannels: c.outChannels) {
                let dx = Tensor(zeros: [c.channels, c.height, c.width])
                let packedT = Tensor(zeros: [DirectConvolution.packedInputGradientSize(g, outChannels: c.outChannels)])
                let paddedDy = Tensor(zeros: [DirectConvolution.paddedGradientSize(g, outChannels: c.outChannels)])
                DirectConvolution.packInputGradient(w.pointer, g, outChannels: c.outChannels, into: packedT.pointer)
                dx.pointer.update(repeating: .nan, count: dx.count)  // every entry must be written
                DirectConvolution.inputGradient(dy.pointer, g, packed: packedT.pointer, outChannels: c.outChannels,
                                                paddedDy: paddedDy.pointer, into: dx.pointer)
                let expectedDx = Self.inputGradientChains(w, dy, g, outChannels: c.outChannels)
                XCTAssertEqual(Self.bits(dx), Self.bits(expectedDx), "input gradient \(name)")
                inputGradientCases += 1
            }

            // Two images' worth: the second accumulates onto the first (sgemm's beta 1).
            let dwT = Tensor(zeros: [g.patchSize * c.outChannels])
            for _ in 0..<2 {
                DirectConvolution.accumulateWeightGradient(x.pointer, g, dy: dy.pointer, outChannels: c.outChannels,
                                                           padded: padded.pointer, dyT: dyT.pointer, into: dwT.pointer)
            }
            let expectedW = Self.weightGradientChains(columns, dy, k: g.patchSize, outChannels: c.outChannels,
                                                      pixels: g.outPixels, images: 2)
            XCTAssertEqual(Self.bits(dwT), Self.bits(expectedW), "weight gradient \(name)")
        }
    }

    /// `Conv2D` forward and backward (fused ReLU, batch split in reduction chunks) with
    /// the direct kernels against im2col + sgemm, bit for bit.
    func testConv2DGivesTheBitsOfIm2colAndSgemm() throws {
        guard kernelsRun("testConv2DGivesTheBitsOfIm2colAndSgemm") else { return }
        guard DirectConvolution.isAvailable else {
            // The CPU runs the kernels, but this process computes on another instruction-set
            // path (DEEPRANK_ISA): the test runs again in a child process on the AVX-512 path.
            let variable = InstructionSet.environmentVariable
            XCTAssertNotEqual(ProcessInfo.processInfo.environment[variable], "avx512",
                              "\(variable) is avx512, yet the direct kernels are not taken")
            let child = Process()
            child.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
            child.arguments = ["NeuralNetTests.DirectConvolutionTests/testConv2DGivesTheBitsOfIm2colAndSgemm"]
            child.environment = ProcessInfo.processInfo.environment.merging([variable: "avx512"]) { $1 }
            let output = Pipe()
            child.standardOutput = output
            child.standardError = output
            try child.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            child.waitUntilExit()
            XCTAssertEqual(child.terminationStatus, 0, text)
            XCTAssert(text.contains("Executed 1 test, with 0 failures") && !text.contains("skipped"), text)
            return
        }
        // The reference network's three deep convolutions (the first without input gradient,
        // as in training), at the sizes it trains on.
        let layers: [(channels: Int, outChannels: Int, kernel: Int, size: Int, inputGradient: Bool)] = [
            (3, 32, 5, 32, false), (32, 64, 3, 32, true), (64, 128, 3, 16, true),
        ]
        for (index, l) in layers.enumerated() {
            let streams = RandomStreams(seed: UInt64(4 + index))
            func layer(_ algorithm: ConvAlgorithm) -> Conv2D {
                let conv = Conv2D(name: "conv", inChannels: l.channels, outChannels: l.outChannels,
                                  kernelSize: l.kernel, padding: l.kernel / 2, activation: .relu, streams: streams)
                conv.algorithm = algorithm
                conv.computesInputGradient = l.inputGradient
                return conv
            }
            let direct = layer(.direct), reference = layer(.im2col)
            let name = "\(l.channels)->\(l.outChannels) k\(l.kernel) on \(l.size)"
            let x = GradientCheck.random([5, l.channels, l.size, l.size], seed: 5, name: "x")
            XCTAssertTrue(direct.usesDirectKernels(direct.geometry(x)), "the direct kernels run \(name)")
            XCTAssertEqual(direct.usesDirectInputGradient(direct.geometry(x)), l.inputGradient, name)
            let dy = GradientCheck.random([5, l.outChannels, l.size, l.size], seed: 6, name: "dy")
            XCTAssertEqual(Self.bits(direct.weight.value), Self.bits(reference.weight.value))
            // Two steps: the second runs on reused buffers and repacked weights.
            for step in 0..<2 {
                XCTAssertEqual(Self.bits(direct.forward(x, training: true)),
                               Self.bits(reference.forward(x, training: true)), "forward \(name) step \(step)")
                let dx = direct.backward(dy), expectedDx = reference.backward(dy)
                XCTAssertEqual(Self.bits(direct.weight.grad), Self.bits(reference.weight.grad), "dW \(name)")
                XCTAssertEqual(Self.bits(direct.bias.grad), Self.bits(reference.bias.grad), "db \(name)")
                if l.inputGradient {
                    XCTAssertEqual(Self.bits(try XCTUnwrap(dx)), Self.bits(try XCTUnwrap(expectedDx)), "dx \(name)")
                }
                for conv in [direct, reference] {
                    for i in 0..<conv.weight.value.count { conv.weight.value[flat: i] -= 0.01 * reference.weight.grad[flat: i] }
                }
            }
        }
    }

    func testTransposeOfEveryShape() throws {
        guard kernelsRun("testTransposeOfEveryShape") else { return }
        for (rows, columns) in [(16, 16), (64, 1024), (20, 37), (5, 3), (33, 16)] {
            let a = GradientCheck.random([rows, columns], seed: 7, name: "a")
            let t = Tensor(zeros: [columns, rows])
            dr_transpose(a.pointer, Int32(rows), Int32(columns), t.pointer)
            for r in 0..<rows {
                for c in 0..<columns where t[flat: c * rows + r] != a[flat: r * columns + c] {
                    return XCTFail("\(rows) x \(columns): entry (\(r), \(c)) misplaced")
                }
            }
        }
    }

    func testWhichLayersTheKernelsCover() {
        func g(_ channels: Int, _ size: Int, _ kernel: Int, stride: Int = 1) -> ConvGeometry {
            ConvGeometry(channels: channels, height: size, width: size, kernelH: kernel, kernelW: kernel,
                         stride: stride, padding: kernel / 2)
        }
        XCTAssertTrue(DirectConvolution.applies(to: g(3, 64, 5), outChannels: 32))   // the reference network's conv1
        XCTAssertTrue(DirectConvolution.applies(to: g(3, 32, 5), outChannels: 32))   // at 32 x 32
        XCTAssertFalse(DirectConvolution.applies(to: g(3, 16, 3), outChannels: 32))  // a shallow part: small-matrix sgemm
        XCTAssertTrue(DirectConvolution.applies(to: g(32, 32, 3), outChannels: 64))  // conv2
        XCTAssertTrue(DirectConvolution.appliesToInputGradient(g(32, 32, 3), outChannels: 64))
        XCTAssertTrue(DirectConvolution.appliesToInputGradient(g(64, 16, 3), outChannels: 128))  // conv3: K 288 + 288
        XCTAssertFalse(DirectConvolution.applies(to: g(40, 16, 3), outChannels: 32))  // K 360 = 192 + 168: mid-channel
        XCTAssertFalse(DirectConvolution.appliesToInputGradient(g(3, 64, 5), outChannels: 32))  // 3 input channels
        XCTAssertEqual(DirectConvolution.blocks(1024), Self.openBLASBlocks(1024))
        XCTAssertEqual(DirectConvolution.blocks(576), [0..<288, 288..<576])
        XCTAssertFalse(DirectConvolution.applies(to: g(3, 64, 5, stride: 2), outChannels: 32))
        XCTAssertFalse(DirectConvolution.applies(to: g(3, 64, 5), outChannels: 24))
        XCTAssertFalse(DirectConvolution.applies(to: g(3, 60, 5), outChannels: 32))  // width not a multiple of 16
    }

    // MARK: - Emulation of OpenBLAS's chains

    /// `C = W * B`: per entry and K block, fused multiply-adds over the block in order from
    /// +0, added to the entry (which sgemm with beta 0 first zeroes).
    static func forwardChains(_ w: Tensor, _ b: Tensor, m: Int, k: Int, n: Int) -> Tensor {
        let c = Tensor(zeros: [m, n])
        for i in 0..<m {
            for j in 0..<n {
                var entry: Float = 0
                for block in openBLASBlocks(k) {
                    var acc: Float = 0
                    for t in block { acc = acc.addingProduct(w[flat: i * k + t], b[flat: t * n + j]) }
                    entry = entry + acc
                }
                c[flat: i * n + j] = entry
            }
        }
        return c
    }

    /// OpenBLAS 0.3.21's K blocks (level3.c): 320 while at least 640 remain, then the rest
    /// in two halves rounded up to 16, or one block of at most 320.
    static func openBLASBlocks(_ k: Int) -> [Range<Int>] {
        var blocks: [Range<Int>] = []
        var start = 0
        while start < k {
            var length = k - start
            if length >= 640 { length = 320 } else if length > 320 { length = (length / 2 + 15) / 16 * 16 }
            blocks.append(start..<(start + length))
            start += length
        }
        return blocks
    }

    /// `col2im(W^T dY)`: the column-matrix gradient as sgemm with beta 0 computes it (a chain
    /// over the output channels from +0 per entry, added to 0), then the library's col2im.
    static func inputGradientChains(_ w: Tensor, _ dy: Tensor, _ g: ConvGeometry, outChannels: Int) -> Tensor {
        let k = g.patchSize, n = g.outPixels
        let columns = Tensor(zeros: [k, n])
        for t in 0..<k {
            for j in 0..<n {
                var acc: Float = 0
                for o in 0..<outChannels { acc = acc.addingProduct(w[flat: o * k + t], dy[flat: o * n + j]) }
                columns[flat: t * n + j] = 0 + acc
            }
        }
        let dx = Tensor(zeros: [g.channels, g.height, g.width])
        col2im(columns.pointer, g, into: dx.pointer)
        return dx
    }

    /// `dW^T [K, Cout]` summed over `images` copies of the same image: the output pixels in
    /// OpenBLAS's K blocks, each a chain from +0 added to the running entry.
    static func weightGradientChains(_ columns: Tensor, _ dy: Tensor, k: Int, outChannels: Int, pixels: Int,
                                     images: Int) -> Tensor {
        let blocks = openBLASBlocks(pixels)
        let out = Tensor(zeros: [k, outChannels])
        for t in 0..<k {
            for o in 0..<outChannels {
                var entry: Float = 0
                for _ in 0..<images {
                    for block in blocks {
                        var acc: Float = 0
                        for h in block { acc = acc.addingProduct(columns[flat: t * pixels + h], dy[flat: o * pixels + h]) }
                        entry = entry + acc
                    }
                }
                out[flat: t * outChannels + o] = entry
            }
        }
        return out
    }

    static func bits(_ t: Tensor) -> [UInt32] { (0..<t.count).map { t[flat: $0].bitPattern } }
}
