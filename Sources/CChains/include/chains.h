#ifndef DEEPRANK_CHAINS_H
#define DEEPRANK_CHAINS_H

/// The instruction-set paths of the chain kernels. Every path computes the same chains of
/// fused multiply-adds in the same order, so every path gives the same bits.
typedef enum {
    DR_ISA_PORTABLE = 0,  ///< plain C for any 64-bit CPU with FMA (x86-64: FMA3 on SSE vectors)
    DR_ISA_AVX2 = 1,      ///< the same source compiled for AVX2 + FMA
    DR_ISA_AVX512 = 2,    ///< the same source compiled for AVX-512F + FMA
} dr_isa;

/// 1 when this CPU can run `isa`, else 0. With the environment variable below set to 1 the
/// AVX-512 path counts as unsupported, so a process (and the tests) behave as on a CPU
/// without AVX-512: the AVX2 path by default, no direct convolution kernels.
int dr_isa_supported(int isa);

#define DR_HIDE_AVX512_VARIABLE "DEEPRANK_HIDE_AVX512"

/// The length of the K block OpenBLAS's level-3 driver takes when `remaining` of K is left:
/// `blockQ` while at least twice that remains, then the rest in two halves rounded up to
/// multiples of `unrollM` (or in one block when it fits).
static inline int dr_sgemm_block(int remaining, int blockQ, int unrollM) {
    if (remaining >= 2 * blockQ) return blockQ;
    if (remaining > blockQ) return ((remaining / 2 + unrollM - 1) / unrollM) * unrollM;
    return remaining;
}

/// The K block of OpenBLAS 0.3.21's single-threaded sgemm on its Cooperlake kernels, the one
/// every committed run file was made with (on its SkylakeX kernels it is 448; README.md).
#define DR_SGEMM_COOPERLAKE_Q 320

/// OpenBLAS's sgemm M unroll on SkylakeX/Cooperlake (`SGEMM_DEFAULT_UNROLL_M`): the last two K
/// blocks are rounded up to multiples of it.
#define DR_SGEMM_UNROLL_M 16

/// Products with M N K at or below this take OpenBLAS's small-matrix kernels, whose order differs.
#define DR_SGEMM_SMALL_PRODUCT 1000000

/// `C = alpha op(A) op(B) + beta C`, row-major, with exactly the rounding of every output that
/// OpenBLAS 0.3.21's single-threaded sgemm gives on its Cooperlake kernels (README of
/// Sources/CChains: which chain each output takes), on any path `isa` this CPU supports.
void dr_sgemm(int isa, int transA, int transB, int m, int n, int k, float alpha,
              const float *A, int lda, const float *B, int ldb, float beta, float *C, int ldc);

/// `dr_sgemm` with another K block `blockQ` for the level-3 path: 448 gives the bits of
/// OpenBLAS's SkylakeX kernels, which differ from Cooperlake's only there (for the tests).
void dr_sgemm_blocked(int isa, int blockQ, int transA, int transB, int m, int n, int k, float alpha,
                      const float *A, int lda, const float *B, int ldb, float beta, float *C, int ldc);

/// Whether the row-major product `dr_sgemm` computes for these arguments takes the level-3
/// (large) path. There every output's chain depends on K (and alpha, beta) alone, not on M or
/// N, so a product whose pieces all take this path can be cut along its rows or columns
/// without changing a bit.
int dr_sgemm_takes_level3_path(int transA, int transB, int m, int n, int k);

/// `cblas_sdot(n, x, 1, y, 1)` with OpenBLAS 0.3.21's SkylakeX/Cooperlake rounding.
float dr_sdot(int isa, int n, const float *x, const float *y);

/// `y = A x` for a row-major m x n A (`cblas_sgemv` RowMajor, NoTrans, alpha 1, beta 0, unit
/// strides) with OpenBLAS 0.3.21's SkylakeX/Cooperlake rounding (measured for n >= 9 and n = 1, 4).
void dr_sgemv(int isa, int m, int n, const float *A, const float *x, float *y);

/// `A += alpha x y^T` for a row-major m x n A (`cblas_sger` RowMajor, unit strides) with
/// OpenBLAS 0.3.21's SkylakeX/Cooperlake rounding.
void dr_sger(int isa, int m, int n, float alpha, const float *x, const float *y, float *A);

#endif
