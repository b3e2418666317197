#include "chains_internal.h"
// Plain C for any 64-bit CPU with FMA: on x86-64 compiled for FMA3 on top of the baseline
// (SSE2 vectors), elsewhere (ARM64) for the baseline, which has FMA.
#define PATH(name) name##_portable
#define MR 16
#define NR 4
#define NC 240
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("fma"))), apply_to = function)
#endif
#include "sgemm_body.h"
#include "level2_body.h"
#if defined(__x86_64__)
#pragma clang attribute pop
#endif
