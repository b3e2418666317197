#include "chains_internal.h"
#if defined(__x86_64__)
#define PATH(name) name##_avx512
#define MR 32
#define NR 6
#define NC 240
#pragma clang attribute push(__attribute__((target("avx512f,fma"))), apply_to = function)
#include "sgemm_body.h"
#include "level2_body.h"
#pragma clang attribute pop
#endif
