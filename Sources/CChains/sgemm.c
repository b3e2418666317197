#include "chains_internal.h"

int dr_isa_supported(int isa) {
#if defined(__x86_64__)
    const char *hide = getenv(DR_HIDE_AVX512_VARIABLE);
    if (isa == DR_ISA_AVX512 && hide && strcmp(hide, "1") == 0) return 0;
    __builtin_cpu_init();
    switch (isa) {
    case DR_ISA_PORTABLE: return __builtin_cpu_supports("fma");
    case DR_ISA_AVX2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case DR_ISA_AVX512: return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
    }
    return 0;
#else
    return isa == DR_ISA_PORTABLE;
#endif
}

void dr_sgemm(int isa, int transA, int transB, int m, int n, int k, float alpha,
              const float *A, int lda, const float *B, int ldb, float beta, float *C, int ldc) {
    dr_sgemm_blocked(isa, DR_SGEMM_COOPERLAKE_Q, transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

int dr_sgemm_takes_level3_path(int transA, int transB, int m, int n, int k) {
    return dr_sgemm_kind(transB, transA, n, m, k) == DR_LARGE;
}

void dr_sgemm_blocked(int isa, int blockQ, int transA, int transB, int m, int n, int k, float alpha,
                      const float *A, int lda, const float *B, int ldb, float beta, float *C, int ldc) {
    // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T, as cblas passes it on.
    if (m == 0 || n == 0) return;
    DR_DISPATCH(dr_sgemm_colmajor, blockQ, transB, transA, n, m, k, alpha, B, ldb, A, lda, beta, C, ldc);
}
