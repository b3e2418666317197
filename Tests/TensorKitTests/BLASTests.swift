import TensorKit
import XCTest

/// `cblas_sgemm` (OpenBLAS) against the naive reference kept beside it.
final class BLASTests: XCTestCase {
    func testSgemmMatchesTheReferenceForEveryTransposeCombination() {
        var s = RandomStream(seed: 1, name: "gemm")
        for (m, n, k) in [(1, 1, 1), (7, 5, 3), (33, 17, 65), (64, 75, 128)] {
            for ta in [false, true] {
                for tb in [false, true] {
                    let a = (0..<(m * k)).map { _ in s.nextUniform(-1, 1) }
                    let b = (0..<(k * n)).map { _ in s.nextUniform(-1, 1) }
                    let c0 = (0..<(m * n)).map { _ in s.nextUniform(-1, 1) }
                    var fast = c0, slow = c0
                    let lda = ta ? m : k, ldb = tb ? k : n
                    a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in
                        fast.withUnsafeMutableBufferPointer { cp in
                            BLAS.sgemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 0.5,
                                       a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb,
                                       beta: 0.25, c: cp.baseAddress!, ldc: n)
                        }
                        slow.withUnsafeMutableBufferPointer { cp in
                            BLAS.referenceGemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 0.5,
                                               a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb,
                                               beta: 0.25, c: cp.baseAddress!, ldc: n)
                        }
                    } }
                    for i in 0..<(m * n) {
                        XCTAssertEqual(fast[i], slow[i], accuracy: 1e-5 * Float(k) + 1e-6, "m\(m) n\(n) k\(k) ta\(ta) tb\(tb)")
                    }
                }
            }
        }
    }

    func testKernelSelectionPrefersAVX512AndRespectsExplicitChoice() {
        XCTAssertEqual(BLASKernelSelection.bestCoreType(cpuFlags: ["avx2", "fma"]), "Haswell")
        XCTAssertEqual(BLASKernelSelection.bestCoreType(
            cpuFlags: ["avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]), "SkylakeX")
        XCTAssertEqual(BLASKernelSelection.bestCoreType(
            cpuFlags: ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "avx512_bf16"]), "Cooperlake")
        XCTAssertNil(BLASKernelSelection.bestCoreType(cpuFlags: ["sse2"]))
        XCTAssertFalse(BLAS.coreType.isEmpty)
    }
}
