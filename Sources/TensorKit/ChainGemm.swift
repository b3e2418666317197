import CChains

/// sgemm on the chain kernels, on a chosen instruction-set path: the same contract as
/// `BLAS.sgemm` (which calls it on `InstructionSet.selected`), and on every path the same bits
/// as OpenBLAS 0.3.21's single-threaded sgemm on its Cooperlake kernels.
/// `Sources/CChains/README.md` says which chain each output takes; `ChainGemmTests` checks it
/// against `cblas_sgemm`.
public enum ChainGemm {
    /// The K block of the level-3 path: OpenBLAS's on its Cooperlake kernels, which every
    /// committed run file was made with. (Its SkylakeX kernels take 448, its only difference.)
    public static let cooperlakeKBlock = Int(DR_SGEMM_COOPERLAKE_Q)

    /// `kBlock` other than `cooperlakeKBlock` is for comparing with OpenBLAS on other kernels.
    public static func sgemm(
        on isa: InstructionSet, kBlock: Int = cooperlakeKBlock, transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(isa.isSupported, "the \(isa.rawValue) path needs a CPU that supports it")
        dr_sgemm_blocked(isa.code, Int32(kBlock), transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(m), Int32(n),
                         Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Whether `sgemm` with these arguments takes the level-3 path (`Sources/CChains/README.md`,
    /// "Large path"). There every output's chain depends on `k` alone, so a product whose
    /// pieces all take that path may be cut into blocks of rows or of columns, whichever
    /// streams memory least, and give the same bits.
    public static func takesLevel3Path(transposeA: Bool = false, transposeB: Bool = false,
                                       m: Int, n: Int, k: Int) -> Bool {
        dr_sgemm_takes_level3_path(transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k)) != 0
    }
}
