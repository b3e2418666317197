#include "chains_internal.h"
#if defined(__x86_64__)
#define PATH(name) name##_avx512
#pragma clang attribute push(__attribute__((target("avx512f,fma"))), apply_to = function)
#include "sgemm_body.h"
#pragma clang attribute pop
#endif
