#ifndef DEEPRANK_POWERS_H
#define DEEPRANK_POWERS_H

#include <stdint.h>

/// out[i] = powf(s[i], -0.75f) for i < n, bit for bit as the C library's powf computes it, about
/// four times as fast on AVX-512 CPUs (local response normalisation's s^-beta at AlexNet's
/// beta = 3/4).
///
/// s^-3/4 is first computed in double from 14-bit reciprocal square root estimates and two
/// Newton steps each (relative error well under 2^-45), then rounded to float. That rounding
/// is the one powf makes unless the exact value lies so close to a midpoint between two
/// floats that powf's own error could put it on the other side: glibc's powf documents a
/// relative error before its final rounding of 1.83 * 2^-33 * |y log2 x| * ln 2 + 1.69 * 2^-34
/// (y log2 x = -3/4 log2 s); every value whose double result lies within twice that bound
/// (plus our 2^-45) of a midpoint, and every s that is not a positive normal float, is
/// computed by powf itself (about 2% of the values local response normalisation sees).
/// `dr_power_minus_three_quarters_mismatches` checks the whole claim against powf on every
/// positive normal float. Without AVX-512 (or with DEEPRANK_HIDE_AVX512=1), powf throughout.
void dr_power_minus_three_quarters(const float *s, int n, float *out);

/// The number of floats whose bit patterns lie in [firstBits, endBits) for which
/// dr_power_minus_three_quarters differs from powf(s, -0.75f) in any bit (for the tests).
int64_t dr_power_minus_three_quarters_mismatches(uint32_t firstBits, uint32_t endBits);

#endif
