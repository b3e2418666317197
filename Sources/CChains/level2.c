#include "chains_internal.h"

// Dispatch of the level-2 chains (level2_body.h) to the instruction-set path.

#if defined(__x86_64__)
#define DISPATCH(call, ...)                                                    \
    (isa == DR_ISA_AVX512 ? call##_avx512(__VA_ARGS__)                         \
     : isa == DR_ISA_AVX2 ? call##_avx2(__VA_ARGS__) : call##_portable(__VA_ARGS__))
#else
#define DISPATCH(call, ...) call##_portable(__VA_ARGS__)
#endif

float dr_sdot(int isa, int n, const float *x, const float *y) { return DISPATCH(dr_sdot, n, x, y); }

void dr_sgemv(int isa, int m, int n, const float *A, const float *x, float *y) { DISPATCH(dr_sgemv, m, n, A, x, y); }

void dr_sger(int isa, int m, int n, float alpha, const float *x, const float *y, float *A) {
    DISPATCH(dr_sger, m, n, alpha, x, y, A);
}
