#include "powers.h"
#include "chains.h"  // dr_isa_supported
#include <immintrin.h>
#include <math.h>
#include <string.h>

#define AVX512 __attribute__((target("avx512f,fma")))

/// Values per pass: the lanes left to powf are listed in a buffer of this size.
enum { CHUNK = 1024 };

/// For 8 values s: their s^-3/4 rounded to float in `result`, and the mask of lanes whose
/// rounding is not provably powf's (or whose s is not a positive normal float).
static AVX512 __mmask8 power8(__m256 s, __m256 *result) {
    __m512d d = _mm512_cvtps_pd(s);
    __m512d half = _mm512_set1_pd(0.5), threeHalves = _mm512_set1_pd(1.5);
    // r = d^-1/2: a 14-bit estimate, then two Newton steps r (3/2 - d/2 r^2).
    __m512d r = _mm512_rsqrt14_pd(d), halfD = _mm512_mul_pd(half, d);
    r = _mm512_mul_pd(r, _mm512_fnmadd_pd(halfD, _mm512_mul_pd(r, r), threeHalves));
    r = _mm512_mul_pd(r, _mm512_fnmadd_pd(halfD, _mm512_mul_pd(r, r), threeHalves));
    // v = r^-1/2 = d^1/4 the same way; d^-3/4 = r r v.
    __m512d v = _mm512_rsqrt14_pd(r), halfR = _mm512_mul_pd(half, r);
    v = _mm512_mul_pd(v, _mm512_fnmadd_pd(halfR, _mm512_mul_pd(v, v), threeHalves));
    v = _mm512_mul_pd(v, _mm512_fnmadd_pd(halfR, _mm512_mul_pd(v, v), threeHalves));
    __m512d z = _mm512_mul_pd(_mm512_mul_pd(r, r), v);
    __m256 f = _mm512_cvtpd_ps(z);
    *result = f;

    // s must be a positive normal float: biased exponent neither 0 nor 255, sign clear.
    __m256i sBits = _mm256_castps_si256(s), fBits = _mm256_castps_si256(f);
    __m256i sExponent32 = _mm256_and_si256(_mm256_srli_epi32(sBits, 23), _mm256_set1_epi32(0xff));
    __m512i sExponent = _mm512_cvtepi32_epi64(sExponent32);
    __mmask8 invalid = _mm512_cmpeq_epi64_mask(sExponent, _mm512_setzero_si512())
                       | _mm512_cmpeq_epi64_mask(sExponent, _mm512_set1_epi64(0xff))
                       | _mm512_cmpneq_epi64_mask(_mm512_cvtepi32_epi64(_mm256_srai_epi32(sBits, 31)), _mm512_setzero_si512());
    // The distance to the nearest midpoint: half an ulp of f above it, and below it too
    // unless f is a power of two (then the float below is half as far).
    __m512d error = _mm512_sub_pd(z, _mm512_cvtps_pd(f));
    __m512i fExponent = _mm512_cvtepi32_epi64(_mm256_and_si256(_mm256_srli_epi32(fBits, 23), _mm256_set1_epi32(0xff)));
    __m512d halfUlp = _mm512_castsi512_pd(_mm512_slli_epi64(_mm512_add_epi64(fExponent, _mm512_set1_epi64(1023 - 127 - 24)), 52));
    __mmask8 powerOfTwo = _mm512_cmpeq_epi64_mask(
        _mm512_cvtepi32_epi64(_mm256_and_si256(fBits, _mm256_set1_epi32(0x7fffff))), _mm512_setzero_si512());
    __mmask8 below = _mm512_cmp_pd_mask(error, _mm512_setzero_pd(), _CMP_LT_OQ);
    halfUlp = _mm512_mask_mul_pd(halfUlp, powerOfTwo & below, halfUlp, half);
    // powf's error bound, doubled, with |y log2 s| <= 3/4 (|unbiased exponent of s| + 1), plus ours.
    __m512d logBound = _mm512_mul_pd(
        _mm512_add_pd(_mm512_cvtepi32_pd(_mm256_abs_epi32(_mm256_sub_epi32(sExponent32, _mm256_set1_epi32(127)))),
                      _mm512_set1_pd(1)),
        _mm512_set1_pd(0.75));
    __m512d relative = _mm512_fmadd_pd(logBound, _mm512_set1_pd(2 * 1.83 * M_LN2 * 0x1p-33),
                                       _mm512_set1_pd(2 * 1.69 * 0x1p-34 + 0x1p-45));
    __m512d margin = _mm512_mul_pd(relative, z);
    __mmask8 ambiguous = _mm512_cmp_pd_mask(_mm512_add_pd(_mm512_abs_pd(error), margin), halfUlp, _CMP_GE_OQ);
    return ambiguous | invalid;
}

/// At most CHUNK values: the vector pass, then powf for the lanes it left.
static AVX512 void power_chunk(const float *s, int n, float *out) {
    int left[CHUNK], count = 0, i = 0;
    __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    for (; i + 16 <= n; i += 16) {
        __m256 low, high;
        __mmask16 m = (__mmask16)power8(_mm256_loadu_ps(s + i), &low)
                      | (__mmask16)((__mmask16)power8(_mm256_loadu_ps(s + i + 8), &high) << 8);
        _mm256_storeu_ps(out + i, low);
        _mm256_storeu_ps(out + i + 8, high);
        _mm512_mask_compressstoreu_epi32(left + count, m, _mm512_add_epi32(lanes, _mm512_set1_epi32(i)));
        count += __builtin_popcount(m);
    }
    for (; i < n; i++) left[count++] = i;
    for (int j = 0; j < count; j++) out[left[j]] = powf(s[left[j]], -0.75f);
}

/// Whether the vector pass runs: AVX-512, unless hidden. Asked once (dr_isa_supported reads
/// the environment), not on every call: layers call this once per channel and image.
static int vectorised(void) {
    static _Atomic int answer = -1;
    int known = answer;
    if (known < 0) answer = known = dr_isa_supported(DR_ISA_AVX512);
    return known;
}

void dr_power_minus_three_quarters(const float *s, int n, float *out) {
    if (!vectorised()) {
        for (int i = 0; i < n; i++) out[i] = powf(s[i], -0.75f);
        return;
    }
    for (int i = 0; i < n; i += CHUNK) power_chunk(s + i, n - i < CHUNK ? n - i : CHUNK, out + i);
}

int64_t dr_power_minus_three_quarters_mismatches(uint32_t firstBits, uint32_t endBits) {
    float s[CHUNK], fast[CHUNK];
    int64_t mismatches = 0;
    for (uint64_t first = firstBits; first < endBits; first += CHUNK) {
        int n = endBits - first < CHUNK ? (int)(endBits - first) : CHUNK;
        for (int i = 0; i < n; i++) {
            uint32_t bits = (uint32_t)(first + i);
            memcpy(s + i, &bits, sizeof bits);
        }
        dr_power_minus_three_quarters(s, n, fast);
        for (int i = 0; i < n; i++) {
            float reference = powf(s[i], -0.75f);
            mismatches += memcmp(fast + i, &reference, sizeof reference) != 0;
        }
    }
    return mismatches;
}
