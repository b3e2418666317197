#include "direct_conv.h"
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,fma")))

/// Output channels per tile: the packed weights hold them side by side for each tap.
enum { GROUP = 8 };

void dr_pack_forward_weights(const float *weight, int outChannels, int K, float *packed) {
    dr_pack_weight_groups(weight, outChannels, K, GROUP, packed);
}

/// GROUP output channels times R output rows times NV vectors of 16 output columns, over
/// the taps of channels [c0, c1) (one K block): GROUP * R * NV fused multiply-add chains
/// from +0, then added to y (to +0 for the first block, as sgemm with beta 0 does).
#define PACKED_TILE(R, NV, KS)                                                                   \
    static AVX512 void packed_tile_##R##_##NV##_##KS(const float *padded, int pH, int pW,         \
                                                     const float *w, int c0, int c1, int oy,      \
                                                     int ox, float *y, int plane, int outW,       \
                                                     int first) {                                 \
        __m512 acc[GROUP][R][NV];                                                                \
        for (int o = 0; o < GROUP; o++)                                                          \
            for (int r = 0; r < R; r++)                                                          \
                for (int v = 0; v < NV; v++) acc[o][r][v] = _mm512_setzero_ps();                 \
        for (int c = c0; c < c1; c++)                                                            \
            for (int ky = 0; ky < KS; ky++) {                                                    \
                const float *row = padded + ((size_t)c * pH + oy + ky) * pW + ox;               \
                for (int kx = 0; kx < KS; kx++, w += GROUP) {                                    \
                    __m512 x[R][NV];                                                             \
                    for (int r = 0; r < R; r++)                                                  \
                        for (int v = 0; v < NV; v++)                                             \
                            x[r][v] = _mm512_loadu_ps(row + (size_t)r * pW + kx + 16 * v);       \
                    for (int o = 0; o < GROUP; o++) {                                            \
                        __m512 wv = _mm512_set1_ps(w[o]);                                        \
                        for (int r = 0; r < R; r++)                                              \
                            for (int v = 0; v < NV; v++)                                         \
                                acc[o][r][v] = _mm512_fmadd_ps(wv, x[r][v], acc[o][r][v]);       \
                    }                                                                            \
                }                                                                                \
            }                                                                                    \
        for (int o = 0; o < GROUP; o++)                                                          \
            for (int r = 0; r < R; r++)                                                          \
                for (int v = 0; v < NV; v++) {                                                   \
                    float *d = y + (size_t)o * plane + (size_t)(oy + r) * outW + ox + 16 * v;    \
                    __m512 base = first ? _mm512_setzero_ps() : _mm512_loadu_ps(d);              \
                    _mm512_storeu_ps(d, _mm512_add_ps(base, acc[o][r][v]));                      \
                }                                                                                \
    }
PACKED_TILE(1, 2, 3)
PACKED_TILE(2, 1, 3)
PACKED_TILE(1, 1, 3)
PACKED_TILE(1, 2, 5)
PACKED_TILE(2, 1, 5)
PACKED_TILE(1, 1, 5)

typedef void (*PackedTile)(const float *, int, int, const float *, int, int, int, int, float *, int, int, int);

AVX512 void dr_conv_forward_packed(const float *padded, int channels, int pH, int pW, int kernel,
                                   const float *packed, int outChannels, int outH, int outW,
                                   int blockQ, int unrollM, float *y) {
    int taps = kernel * kernel, K = channels * taps, plane = outH * outW;
    // tiles[kernel 5][two vectors | two rows | one vector of one row]
    PackedTile tiles[2][3] = {
        {packed_tile_1_2_3, packed_tile_2_1_3, packed_tile_1_1_3},
        {packed_tile_1_2_5, packed_tile_2_1_5, packed_tile_1_1_5},
    };
    PackedTile *t = tiles[kernel == 5];
    for (int k0 = 0; k0 < K;) {
        // The caller ensures each of OpenBLAS's K blocks ends on a channel boundary.
        int length = dr_sgemm_block(K - k0, blockQ, unrollM);
        int c0 = k0 / taps, c1 = (k0 + length) / taps;
        for (int o = 0; o < outChannels; o += GROUP) {
            const float *w = packed + (size_t)o * K + (size_t)k0 * GROUP;
            float *yo = y + (size_t)o * plane;
            if (outW % 32 == 0) {
                for (int oy = 0; oy < outH; oy++)
                    for (int ox = 0; ox < outW; ox += 32)
                        t[0](padded, pH, pW, w, c0, c1, oy, ox, yo, plane, outW, k0 == 0);
            } else {
                for (int ox = 0; ox < outW; ox += 16) {
                    int oy = 0;
                    for (; oy + 2 <= outH; oy += 2) t[1](padded, pH, pW, w, c0, c1, oy, ox, yo, plane, outW, k0 == 0);
                    for (; oy < outH; oy++) t[2](padded, pH, pW, w, c0, c1, oy, ox, yo, plane, outW, k0 == 0);
                }
            }
        }
        k0 += length;
    }
}
