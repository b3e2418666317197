#include "direct_conv.h"
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,fma")))

/// Input channels per tile: the packed weights hold them side by side for each tap and
/// output channel.
enum { GROUP = 8 };

void dr_pack_input_gradient_weights(const float *weight, int outChannels, int channels, int kernel,
                                    float *packed) {
    int taps = kernel * kernel, K = channels * taps;
    for (int c0 = 0; c0 < channels; c0 += GROUP)
        for (int t = 0; t < taps; t++)
            for (int o = 0; o < outChannels; o++)
                for (int c = 0; c < GROUP; c++)
                    packed[(size_t)c0 * taps * outChannels + ((size_t)t * outChannels + o) * GROUP + c] =
                        weight[(size_t)o * K + (size_t)(c0 + c) * taps + t];
}

/// GROUP input channels times R rows times one vector of 16 columns of dx. For each tap
/// (ky, kx) in order: the column-matrix gradient of that tap at the output pixels these
/// inputs feed (a fused multiply-add chain over the output channels from +0, as sgemm
/// computes W^T dY), added to dx (to +0 for the first tap, as col2im adds onto a zeroed
/// image). Taps that fall outside the output read dy's zero border: their chain is +0 and
/// adding it changes nothing, as col2im skipping them does.
#define INPUT_GRADIENT_TILE(R, KS)                                                               \
    static AVX512 void input_gradient_tile_##R##_##KS(const float *dyPadded, int pH, int pW,      \
                                                      int outChannels, const float *w, int iy,   \
                                                      int ix, float *dx, int plane, int width) { \
        for (int t = 0; t < KS * KS; t++) {                                                      \
            int ky = t / KS, kx = t % KS;                                                        \
            __m512 acc[GROUP][R];                                                                \
            for (int c = 0; c < GROUP; c++)                                                      \
                for (int r = 0; r < R; r++) acc[c][r] = _mm512_setzero_ps();                     \
            const float *source = dyPadded + (size_t)(iy + KS - 1 - ky) * pW + ix + KS - 1 - kx; \
            const float *wt = w + (size_t)t * outChannels * GROUP;                               \
            for (int o = 0; o < outChannels; o++, source += (size_t)pH * pW, wt += GROUP) {      \
                __m512 d[R];                                                                     \
                for (int r = 0; r < R; r++) d[r] = _mm512_loadu_ps(source + (size_t)r * pW);     \
                for (int c = 0; c < GROUP; c++) {                                                \
                    __m512 wv = _mm512_set1_ps(wt[c]);                                           \
                    for (int r = 0; r < R; r++) acc[c][r] = _mm512_fmadd_ps(wv, d[r], acc[c][r]); \
                }                                                                                \
            }                                                                                    \
            for (int c = 0; c < GROUP; c++)                                                      \
                for (int r = 0; r < R; r++) {                                                    \
                    float *q = dx + (size_t)c * plane + (size_t)(iy + r) * width + ix;           \
                    __m512 base = t == 0 ? _mm512_setzero_ps() : _mm512_loadu_ps(q);             \
                    _mm512_storeu_ps(q, _mm512_add_ps(base, acc[c][r]));                         \
                }                                                                                \
        }                                                                                        \
    }
INPUT_GRADIENT_TILE(3, 3)
INPUT_GRADIENT_TILE(2, 3)
INPUT_GRADIENT_TILE(1, 3)
INPUT_GRADIENT_TILE(3, 5)
INPUT_GRADIENT_TILE(2, 5)
INPUT_GRADIENT_TILE(1, 5)

typedef void (*InputGradientTile)(const float *, int, int, int, const float *, int, int, float *, int, int);

AVX512 void dr_conv_input_gradient_direct(const float *dyPadded, int outChannels, int kernel, const float *packed,
                                          int channels, int height, int width, float *dx) {
    int taps = kernel * kernel, pH = height + kernel - 1, pW = width + kernel - 1, plane = height * width;
    // tiles[kernel 5][rows - 1]
    InputGradientTile tiles[2][3] = {
        {input_gradient_tile_1_3, input_gradient_tile_2_3, input_gradient_tile_3_3},
        {input_gradient_tile_1_5, input_gradient_tile_2_5, input_gradient_tile_3_5},
    };
    InputGradientTile *t = tiles[kernel == 5];
    for (int c0 = 0; c0 < channels; c0 += GROUP) {
        const float *w = packed + (size_t)c0 * taps * outChannels;
        float *target = dx + (size_t)c0 * plane;
        for (int ix = 0; ix < width; ix += 16)
            for (int iy = 0; iy < height;) {
                int rows = height - iy < 3 ? height - iy : 3;
                t[rows - 1](dyPadded, pH, pW, outChannels, w, iy, ix, target, plane, width);
                iy += rows;
            }
    }
}
