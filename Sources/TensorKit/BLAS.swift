import CBLAS
import CChains

/// The BLAS routines the engine uses, over row-major Float32 matrices.
///
/// The engine always calls BLAS single-threaded and parallelises over its own fixed
/// work items (`Parallel`): OpenBLAS may pick different kernels for different matrix
/// shapes, so splitting a GEMM by thread count could change the bits.
public enum BLAS {
    /// Makes OpenBLAS single-threaded, whatever `OPENBLAS_NUM_THREADS` says.
    public static func configureSingleThreaded() { openblas_set_num_threads(1) }

    /// Runs `configureSingleThreaded` once, before the first GEMM of the process.
    @usableFromInline static let singleThreadedOnFirstUse: Void = configureSingleThreaded()

    /// Sets OpenBLAS's own thread count (used only to measure the machine's sgemm peak).
    public static func setLibraryThreads(_ n: Int) {
        _ = singleThreadedOnFirstUse
        openblas_set_num_threads(Int32(n))
    }

    /// OpenBLAS build configuration, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64".
    public static var configuration: String { String(cString: openblas_get_config()) }

    /// The CPU kernel family OpenBLAS selected at run time (e.g. "SkylakeX", "Haswell").
    public static var coreType: String { String(cString: openblas_get_corename()) }

    /// `C = alpha * op(A) * op(B) + beta * C` with op(X) = X or its transpose;
    /// op(A) is m x k, op(B) is k x n, C is m x n, all row-major with leading dimensions.
    ///
    /// Computed by the chain kernels (`ChainGemm`) on the process's instruction set
    /// (`InstructionSet.selected`): the bits OpenBLAS 0.3.21's single-threaded sgemm gives on
    /// its Cooperlake kernels, on any CPU with FMA and whatever kernels OpenBLAS itself loaded.
    public static func sgemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        ChainGemm.sgemm(on: InstructionSet.selected, transposeA: transposeA, transposeB: transposeB,
                        m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    /// `x . y` over `n` elements (`cblas_sdot` with unit strides), on the chain kernels: the
    /// bits of OpenBLAS 0.3.21's SkylakeX/Cooperlake `sdot` on every path.
    public static func sdot(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        dr_sdot(InstructionSet.selected.code, Int32(n), x, y)
    }

    /// `y = A x` for a row-major `m x n` A (`cblas_sgemv` RowMajor NoTrans, alpha 1, beta 0),
    /// on the chain kernels.
    public static func sgemv(m: Int, n: Int, a: UnsafePointer<Float>, x: UnsafePointer<Float>,
                             y: UnsafeMutablePointer<Float>) {
        dr_sgemv(InstructionSet.selected.code, Int32(m), Int32(n), a, x, y)
    }

    /// `A += alpha x y^T` for a row-major `m x n` A (`cblas_sger` RowMajor), on the chain kernels.
    public static func sger(m: Int, n: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafePointer<Float>,
                            a: UnsafeMutablePointer<Float>) {
        dr_sger(InstructionSet.selected.code, Int32(m), Int32(n), alpha, x, y, a)
    }

    /// OpenBLAS's own `cblas_sgemm` (on as many threads as `setLibraryThreads` last set, one by
    /// default): the reference the chain kernels are checked against, and the peak the
    /// benchmarks quote. Never on a path that stores bits.
    public static func openBLASSgemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        _ = singleThreadedOnFirstUse
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                    beta, c, Int32(ldc))
    }

    /// The naive triple loop computing the same as `sgemm`, accumulating in Double; kept
    /// beside the fast one as the reference for tests (as llm.c does).
    public static func referenceGemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let av = transposeA ? a[p * lda + i] : a[i * lda + p]
                    let bv = transposeB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += Double(av) * Double(bv)
                }
                let old = beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j])
                c[i * ldc + j] = Float(Double(alpha) * sum + old)
            }
        }
    }
}
