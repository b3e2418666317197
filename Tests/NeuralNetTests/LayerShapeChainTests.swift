import Foundation
import NeuralNet
import TensorKit
import XCTest

/// Issue 17: every sgemm the presets' layers make (`MultiScaleConfig.layerProducts`: `Conv2D`
/// forward, weight gradient and input gradient per image, `Linear` per row block) gives the
/// same bits on every instruction-set path this CPU runs: the reference network at 32 and 64
/// pixels and the paper-sized network at 225, at the batches the experiments train with.
final class LayerShapeChainTests: XCTestCase {
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
            var seen = Set<String>()
            for p in config.layerProducts(images: batch) where seen.insert(p.shape).inserted {
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
