#ifndef DEEPRANK_CHAINS_INTERNAL_H
#define DEEPRANK_CHAINS_INTERNAL_H

#include "chains.h"
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

typedef float vf16 __attribute__((ext_vector_type(16)));

/// Rows of A packed at a time by the plain chains (bounds their scratch; changes no bit).
#define DR_MC 4096

/// The calling thread's scratch `slot` (0 ..< DR_SCRATCH_SLOTS) of at least `floats` floats,
/// 64-byte aligned, kept for the thread's next call (scratch.c); NULL when memory runs out.
#define DR_SCRATCH_SLOTS 2
float *dr_scratch(int slot, size_t floats);

/// How a plain chain is stored: added to C by one fma with alpha (the level-3 path, C holding
/// beta C), alpha times it (small kernels, beta = 0), or that plus beta C by one fma.
enum { DR_STORE_ADD, DR_STORE_B0, DR_STORE_BETA };

/// Which OpenBLAS path a column-major product takes.
enum { DR_LARGE, DR_SMALL_NN, DR_SMALL_NT, DR_SMALL_TN, DR_SMALL_TT };

/// OpenBLAS 0.3.21's choice on SkylakeX/Cooperlake (measured against it, README.md): products
/// with M N K <= 100^3 take the small-matrix kernels, except TN when M N > 1200 or K < 32.
static inline int dr_sgemm_kind(int ta, int tb, int M, int N, int K) {
    if ((double)M * (double)N * (double)K > DR_SGEMM_SMALL_PRODUCT) return DR_LARGE;
    if (ta && tb) return DR_SMALL_TT;
    if (ta) return ((long)M * N > 1200 || K < 32) ? DR_LARGE : DR_SMALL_TN;
    return tb ? DR_SMALL_NT : DR_SMALL_NN;
}

/// Calls `call` on the path `isa` names: `call##_avx512`, `call##_avx2` or `call##_portable`
/// (the only path off x86-64).
#if defined(__x86_64__)
#define DR_DISPATCH(call, ...)                                                 \
    (isa == DR_ISA_AVX512 ? call##_avx512(__VA_ARGS__)                         \
     : isa == DR_ISA_AVX2 ? call##_avx2(__VA_ARGS__) : call##_portable(__VA_ARGS__))
#else
#define DR_DISPATCH(call, ...) call##_portable(__VA_ARGS__)
#endif

void dr_sgemm_colmajor_portable(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
void dr_sgemm_colmajor_avx2(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
void dr_sgemm_colmajor_avx512(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int);

float dr_sdot_portable(int, const float *, const float *);
void dr_sgemv_portable(int, int, const float *, const float *, float *);
void dr_sger_portable(int, int, float, const float *, const float *, float *);
float dr_sdot_avx2(int, const float *, const float *);
void dr_sgemv_avx2(int, int, const float *, const float *, float *);
void dr_sger_avx2(int, int, float, const float *, const float *, float *);
float dr_sdot_avx512(int, const float *, const float *);
void dr_sgemv_avx512(int, int, const float *, const float *, float *);
void dr_sger_avx512(int, int, float, const float *, const float *, float *);

#endif
