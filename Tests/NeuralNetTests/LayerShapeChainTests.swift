import Foundation
import NeuralNet
import TensorKit
import XCTest

/// Issue 17: every sgemm the presets' layers make (`Conv2D`: forward, weight gradient, input
/// gradient per image; `Linear`: forward, weight gradient, input gradient per batch) gives the
/// same bits on every instruction-set path this CPU runs: the reference network at 32 and 64
/// pixels and the paper-sized network at 225, at the batches the experiments train with.
/// (`Linear` splits a batch into row chunks per worker; the whole batch stands for them here,
/// and the reduced quickstart on every path, `QuickstartReplayTests`, covers the real calls.)
final class LayerShapeChainTests: XCTestCase {
    struct Product: Hashable, CustomStringConvertible {
        var transposeA, transposeB: Bool
        var m, n, k: Int
        var beta: Float
        var description: String { "m \(m) n \(n) k \(k) transposeA \(transposeA) transposeB \(transposeB) beta \(beta)" }
    }

    /// The products of one network, as `Conv2D` and `Linear` call `BLAS.sgemm`.
    static func products(_ config: MultiScaleConfig, batch: Int) -> Set<Product> {
        var result = Set<Product>()
        func conv(_ stage: ConvStage, inChannels: Int, size: Int) {
            let out = (size + 2 * stage.padding - stage.kernel) / stage.stride + 1
            let patch = inChannels * stage.kernel * stage.kernel, pixels = out * out
            result.insert(Product(transposeA: false, transposeB: false, m: stage.channels, n: pixels, k: patch, beta: 0))
            result.insert(Product(transposeA: false, transposeB: true, m: patch, n: stage.channels, k: pixels, beta: 1))
            result.insert(Product(transposeA: true, transposeB: false, m: patch, n: pixels, k: stage.channels, beta: 0))
        }
        func linear(_ inputs: Int, _ outputs: Int) {
            result.insert(Product(transposeA: false, transposeB: true, m: batch, n: outputs, k: inputs, beta: 1))
            result.insert(Product(transposeA: true, transposeB: false, m: outputs, n: inputs, k: batch, beta: 1))
            result.insert(Product(transposeA: false, transposeB: false, m: batch, n: inputs, k: outputs, beta: 0))
        }
        var size = config.inputSize, channels = config.inputChannels
        for stage in config.deepStages {
            conv(stage, inChannels: channels, size: size)
            size = MultiScaleConfig.outputSize(of: stage, input: size); channels = stage.channels
        }
        for part in config.shallowParts { conv(part.stage, inChannels: config.inputChannels, size: config.inputSize / part.subsample) }
        linear(config.deepFlattened, config.deepFeatures)
        if !config.shallowParts.isEmpty { linear(config.deepFeatures + config.shallowWidths.reduce(0, +), config.embedding) }
        return result
    }

    func testEveryLayerProductGivesTheSameBitsOnEveryPath() {
        var small = MultiScaleConfig.reference
        small.inputSize = 32
        let networks: [(String, MultiScaleConfig, Int)] = [
            ("reference 64 px", .reference, 96), ("reference 32 px", small, 96), ("paper-sized", .paperSized, 24),
        ]
        let paths = InstructionSet.allCases.filter(\.isSupported)
        print("LayerShapeChainTests: paths \(paths.map(\.rawValue))")
        XCTAssertTrue(paths.contains(.portable))
        var generator = SystemRandomNumberGenerator()
        let pool = (0..<10_007).map { _ in Float.random(in: -1..<1, using: &generator) }
        /// `count` values read cyclically from the pool from `start` (copied in chunks: the
        /// paper-sized operands hold tens of millions of values, too many to draw one by one
        /// in a debug build).
        func operand(_ count: Int, _ start: Int) -> [Float] {
            [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                var filled = 0, at = start % pool.count
                pool.withUnsafeBufferPointer { source in
                    while filled < count {
                        let chunk = min(count - filled, pool.count - at)
                        (buffer.baseAddress! + filled).update(from: source.baseAddress! + at, count: chunk)
                        filled += chunk; at = 0
                    }
                }
                initialized = count
            }
        }
        var checked = 0
        for (name, config, batch) in networks {
            for p in Self.products(config, batch: batch).sorted(by: { $0.description < $1.description }) {
                let a = operand(p.m * p.k, 0), b = operand(p.k * p.n, 3_001), c0 = operand(p.m * p.n, 7_919)
                var results: [InstructionSet: [Float]] = [:]
                for isa in paths {
                    var c = c0
                    ChainGemm.sgemm(on: isa, transposeA: p.transposeA, transposeB: p.transposeB, m: p.m, n: p.n, k: p.k,
                                    a: a, lda: p.transposeA ? p.m : p.k, b: b, ldb: p.transposeB ? p.k : p.n,
                                    beta: p.beta, c: &c, ldc: p.n)
                    results[isa] = c
                }
                // Bytes, not values: -0 against +0 or two NaNs must count as different.
                let portable = results[.portable]!
                for isa in paths {
                    let same = results[isa]!.withUnsafeBytes { x in portable.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
                    if !same { XCTFail("\(name) \(isa.rawValue): \(p)") }
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 40)
    }
}
