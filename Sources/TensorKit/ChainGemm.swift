import CChains

/// The instruction sets the chain kernels (`Sources/CChains`) are compiled for. Every path
/// runs the same fused multiply-add chains in the same order, so every path gives the same
/// bits; they differ only in speed.
public enum InstructionSet: String, CaseIterable, Sendable {
    /// Plain C: the compiler's generic code for the target (on x86-64 `fmaf` from libm).
    case portable
    /// The same source compiled for AVX2 + FMA.
    case avx2
    /// The same source compiled for AVX-512F + FMA.
    case avx512

    var code: Int32 {
        switch self {
        case .portable: return Int32(DR_ISA_PORTABLE.rawValue)
        case .avx2: return Int32(DR_ISA_AVX2.rawValue)
        case .avx512: return Int32(DR_ISA_AVX512.rawValue)
        }
    }

    /// Whether this CPU can run the path.
    public var isSupported: Bool { dr_isa_supported(code) != 0 }

    /// The fastest path this CPU supports.
    public static var best: InstructionSet { [.avx512, .avx2].first(where: \.isSupported) ?? .portable }
}

/// sgemm on the chain kernels: the same contract as `BLAS.sgemm`, and on every instruction
/// set the same bits as OpenBLAS 0.3.21's single-threaded sgemm on its SkylakeX/Cooperlake
/// kernels (`Sources/CChains/README.md` says which chain each output takes, and
/// `ChainGemmTests` checks it against `cblas_sgemm`).
///
/// Not yet on the engine's path: `BLAS.sgemm` still calls OpenBLAS (issue 17 switches the
/// call sites once these kernels are as fast).
public enum ChainGemm {
    public static func sgemm(
        on isa: InstructionSet, transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(isa.isSupported, "the \(isa.rawValue) path needs a CPU that supports it")
        dr_sgemm(isa.code, transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha,
                 a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
