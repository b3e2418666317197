#include "chains_internal.h"

// Dispatch of the level-2 chains (level2_body.h) to the instruction-set path.

float dr_sdot(int isa, int n, const float *x, const float *y) { return DR_DISPATCH(dr_sdot, n, x, y); }

void dr_sgemv(int isa, int m, int n, const float *A, const float *x, float *y) { DR_DISPATCH(dr_sgemv, m, n, A, x, y); }

void dr_sger(int isa, int m, int n, float alpha, const float *x, const float *y, float *A) {
    DR_DISPATCH(dr_sger, m, n, alpha, x, y, A);
}
