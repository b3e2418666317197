#include "chains_internal.h"
#if defined(__x86_64__)
#define PATH(name) name##_avx2
#define MR 16
#define NR 6
#define NC 240
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#include "sgemm_body.h"
#include "level2_body.h"
#pragma clang attribute pop
#endif
