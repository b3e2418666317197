import CBLAS
import CChains
import TensorKit
import XCTest

/// The chain kernels (`ChainGemm`, `Sources/CChains`): every instruction-set path gives the
/// same bits, and on OpenBLAS's SkylakeX/Cooperlake kernels the same bits as `cblas_sgemm`.
final class ChainGemmTests: XCTestCase {
    /// One product: shapes, transposes, alpha and beta.
    struct Case: CustomStringConvertible {
        var m, n, k: Int
        var transposeA, transposeB: Bool
        var alpha, beta: Float
        var description: String {
            "m \(m) n \(n) k \(k) transposeA \(transposeA) transposeB \(transposeB) alpha \(alpha) beta \(beta)"
        }
    }

    /// Shapes drawn around every boundary of OpenBLAS's choice of chain (README of CChains):
    /// M N K around 100^3, K around the block 448 and its halves, K around 32 and 16-lane
    /// groups, TN's M N around 1200, NN's row remainders 1 ... 9; plus the shapes the
    /// reference network's layers and the evaluation make.
    static func cases() -> [Case] {
        var generator = RandomStream(seed: 17, name: "test/chain-gemm/cases")
        let dims = [1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 20, 27, 31, 32, 33, 40, 48, 64, 65, 75, 96, 100, 128, 150]
        let depths = [1, 5, 16, 27, 31, 32, 33, 47, 64, 75, 128, 150, 200, 447, 448, 449, 500, 700, 1000]
        var cases: [Case] = []
        for _ in 0..<400 {
            let c = Case(m: dims[generator.nextInt(below: dims.count)], n: dims[generator.nextInt(below: dims.count)],
                         k: depths[generator.nextInt(below: depths.count)],
                         transposeA: generator.nextInt(below: 2) == 1, transposeB: generator.nextInt(below: 2) == 1,
                         alpha: [1, -1, -2][generator.nextInt(below: 3)], beta: [0, 1][generator.nextInt(below: 2)])
            cases.append(c)
        }
        // Named shapes: TN at M N = 1200 and 1201; large products past one K block.
        cases += [Case(m: 40, n: 30, k: 64, transposeA: false, transposeB: true, alpha: 1, beta: 0),
                  Case(m: 1, n: 1201, k: 64, transposeA: false, transposeB: true, alpha: 1, beta: 0),
                  Case(m: 96, n: 256, k: 700, transposeA: false, transposeB: false, alpha: 1, beta: 0),
                  Case(m: 64, n: 1024, k: 576, transposeA: false, transposeB: false, alpha: 1, beta: 0),
                  Case(m: 576, n: 64, k: 1024, transposeA: false, transposeB: true, alpha: 1, beta: 1),
                  Case(m: 576, n: 1024, k: 64, transposeA: true, transposeB: false, alpha: 1, beta: 0),
                  Case(m: 200, n: 300, k: 128, transposeA: false, transposeB: true, alpha: -2, beta: 0)]
        return cases
    }

    /// Runs one case with `gemm` on fixed operands; returns C's bit patterns.
    static func run(_ c: Case, seed: UInt64, _ gemm: (UnsafePointer<Float>, Int, UnsafePointer<Float>, Int,
                                                      UnsafeMutablePointer<Float>) -> Void) -> [UInt32] {
        var generator = RandomStream(seed: seed, name: "test/chain-gemm/operands")
        let a = (0..<(c.m * c.k)).map { _ in generator.nextUniform(-1, 1) }
        let b = (0..<(c.k * c.n)).map { _ in generator.nextUniform(-1, 1) }
        var out = (0..<(c.m * c.n)).map { _ in generator.nextUniform(-1, 1) }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { out in
                    gemm(a.baseAddress!, c.transposeA ? c.m : c.k, b.baseAddress!, c.transposeB ? c.k : c.n, out.baseAddress!)
                }
            }
        }
        return out.map(\.bitPattern)
    }

    static func chains(_ c: Case, on isa: InstructionSet, kBlock: Int = ChainGemm.cooperlakeKBlock,
                       seed: UInt64 = 1) -> [UInt32] {
        run(c, seed: seed) { a, lda, b, ldb, out in
            ChainGemm.sgemm(on: isa, kBlock: kBlock, transposeA: c.transposeA, transposeB: c.transposeB, m: c.m, n: c.n, k: c.k,
                            alpha: c.alpha, a: a, lda: lda, b: b, ldb: ldb, beta: c.beta, c: out, ldc: c.n)
        }
    }

    static func openBLAS(_ c: Case, seed: UInt64 = 1) -> [UInt32] {
        run(c, seed: seed) { a, lda, b, ldb, out in
            BLAS.openBLASSgemm(transposeA: c.transposeA, transposeB: c.transposeB, m: c.m, n: c.n, k: c.k,
                       alpha: c.alpha, a: a, lda: lda, b: b, ldb: ldb, beta: c.beta, c: out, ldc: c.n)
        }
    }

    func testEveryPathGivesThePortableBits() {
        let paths = InstructionSet.allCases.filter { $0 != .portable && $0.isSupported }
        print("ChainGemmTests: comparing \(paths.map(\.rawValue)) with the portable path"
              + (paths.count < 2 ? " (this CPU lacks \(InstructionSet.allCases.filter { !$0.isSupported }.map(\.rawValue)))" : ""))
        for c in Self.cases() {
            let portable = Self.chains(c, on: .portable)
            for isa in paths { XCTAssertEqual(Self.chains(c, on: isa), portable, "\(isa.rawValue): \(c)") }
        }
    }

    /// OpenBLAS's K block on its AVX-512 kernels: Cooperlake's is the chains' own, SkylakeX's
    /// differs (and is the only difference), so there the chains are compared with it.
    static let kBlockOfCore = ["cooperlake": ChainGemm.cooperlakeKBlock, "skylakex": 448]

    func testEqualsOpenBLASOnItsAVX512Kernels() {
        guard let kBlock = Self.kBlockOfCore[BLAS.coreType.lowercased()] else {
            // Another OpenBLAS kernel family has other chains: there is nothing to compare with.
            // The paths still agree with each other (the test above).
            print("ChainGemmTests: OpenBLAS runs its \(BLAS.coreType) kernels here, not the AVX-512 ones the chains reproduce; not compared")
            return
        }
        var differing: [String] = []
        print("ChainGemmTests: OpenBLAS runs its \(BLAS.coreType) kernels: compared with K block \(kBlock)")
        for c in Self.cases() where Self.chains(c, on: InstructionSet.best, kBlock: kBlock) != Self.openBLAS(c) {
            differing.append(c.description)
        }
        XCTAssertEqual(differing, [], "chains differ from cblas_sgemm")
    }

    /// The comparison is strict enough to see a wrong chain: the same product taken through
    /// another OpenBLAS path (C^T = B^T A^T, so the other kernel and its reduction order) is
    /// equal in value but not in bits.
    func testAnotherChainIsSeen() {
        let c = Case(m: 9, n: 150, k: 700, transposeA: false, transposeB: false, alpha: 1, beta: 0)
        let direct = Self.chains(c, on: .portable)
        // C^T [n x m] = B^T A^T: the operands read transposed, the output written transposed.
        let swapped = Self.run(c, seed: 1) { a, lda, b, ldb, out in
            var t = [Float](repeating: 0, count: c.m * c.n)
            t.withUnsafeMutableBufferPointer { t in
                ChainGemm.sgemm(on: .portable, transposeA: true, transposeB: true, m: c.n, n: c.m, k: c.k,
                                a: b, lda: ldb, b: a, ldb: lda, c: t.baseAddress!, ldc: c.m)
                for i in 0..<c.m { for j in 0..<c.n { out[i * c.n + j] = t[j * c.m + i] } }
            }
        }
        let close = zip(direct, swapped).allSatisfy { abs(Float(bitPattern: $0) - Float(bitPattern: $1)) < 1e-4 }
        XCTAssertTrue(close, "the two are the same product")
        XCTAssertNotEqual(direct, swapped, "two chains of the same product should differ in some bit")
    }
}

/// The level-2 chains (`BLAS.sdot`, `BLAS.sgemv`, `BLAS.sger`: OASIS's training step) on
/// every path: the same bits as each other, and as OpenBLAS's own on its SkylakeX/Cooperlake
/// kernels (whose level-2 kernels are the same), around every boundary of their orders.
final class ChainLevel2Tests: XCTestCase {
    /// (m, n): lengths around 32 and 64 (sdot), 4, 8 and 16 (sgemv's groups), 4096 (its blocks).
    static let shapes: [(m: Int, n: Int)] = [
        (9, 9), (10, 31), (11, 32), (12, 33), (13, 63), (14, 64), (15, 65), (16, 100), (17, 127), (18, 128),
        (19, 129), (33, 200), (34, 324), (35, 331), (64, 512), (7, 4095), (6, 4096), (5, 4099), (3, 8197),
    ]

    static func operands(_ m: Int, _ n: Int) -> (a: [Float], x: [Float], y: [Float]) {
        var generator = RandomStream(seed: UInt64(m * 10_000 + n), name: "test/chain-level2/operands")
        return ((0..<(m * n)).map { _ in generator.nextUniform(-1, 1) }, (0..<n).map { _ in generator.nextUniform(-1, 1) },
                (0..<m).map { _ in generator.nextUniform(-1, 1) })
    }

    /// (sgemv output, sdot, sger result) bits on one path (nil: OpenBLAS's own).
    static func results(_ m: Int, _ n: Int, on isa: InstructionSet?) -> [[UInt32]] {
        let (a, x, y) = operands(m, n)
        var out = [Float](repeating: 0, count: m), updated = a
        let dot: Float
        if let isa {
            dr_sgemv(isa.code, Int32(m), Int32(n), a, x, &out)
            dot = dr_sdot(isa.code, Int32(n), x, a)
            dr_sger(isa.code, Int32(m), Int32(n), 0.37, y, x, &updated)
        } else {
            cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(n), 1, a, Int32(n), x, 1, 0, &out, 1)
            dot = cblas_sdot(Int32(n), x, 1, a, 1)
            cblas_sger(CblasRowMajor, Int32(m), Int32(n), 0.37, y, 1, x, 1, &updated, Int32(n))
        }
        return [out.map(\.bitPattern), [dot.bitPattern], updated.map(\.bitPattern)]
    }

    func testEveryPathGivesThePortableBits() {
        for (m, n) in Self.shapes {
            let portable = Self.results(m, n, on: .portable)
            for isa in InstructionSet.allCases where isa != .portable && isa.isSupported {
                XCTAssertEqual(Self.results(m, n, on: isa), portable, "\(isa.rawValue) m \(m) n \(n)")
            }
        }
    }

    func testEqualsOpenBLASOnItsAVX512Kernels() {
        guard ChainGemmTests.kBlockOfCore[BLAS.coreType.lowercased()] != nil else {
            print("ChainLevel2Tests: OpenBLAS runs its \(BLAS.coreType) kernels here, not the AVX-512 ones; not compared")
            return
        }
        for (m, n) in Self.shapes {
            let ours = Self.results(m, n, on: .best), theirs = Self.results(m, n, on: nil)
            XCTAssertEqual(ours[0], theirs[0], "sgemv m \(m) n \(n)")
            XCTAssertEqual(ours[1], theirs[1], "sdot n \(n)")
            XCTAssertEqual(ours[2], theirs[2], "sger m \(m) n \(n)")
        }
    }
}
