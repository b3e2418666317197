#include "direct_conv.h"
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,fma")))

/// The channel-lane product behind the forward pass of the convolutions the stride-1
/// kernels do not cover:
///
///     out[p][j] = sum over k of packed_j[k] * rows[p][taps[k]]
///
/// for p < count rows and j < columns (a multiple of 16), as OpenBLAS's level-3 sgemm
/// computes each entry: k cut into its K blocks, each block a fused multiply-add chain in
/// order from +0, added to the entry (to +0 for the first block). The lanes are 16
/// consecutive columns j (output channels); each row (output pixel) contributes one
/// broadcast value per k (tap), read at its own pointer plus the offset `taps[k]`, so a row
/// can be a window of an image at any stride.
///
/// (The same product with lanes over taps, for the input gradient's column matrix before
/// col2im, was tried and measured slower than sgemm: its [pixel][tap] result needs a
/// transpose of several MB per image.)

/// Lanes per vector: the packed weights hold 16 output channels side by side for each tap.
enum { LANES = 16 };

void dr_pack_channel_weights(const float *weight, int outChannels, int K, float *packed) {
    dr_pack_weight_groups(weight, outChannels, K, LANES, packed);
}

/// R rows (`pixels`: each one's pointer) times NV vectors of 16 columns (`w`: their packed
/// values at the block's first k), over k in [k0, k1) (`taps`: each k's offset from a row's
/// pointer): R * NV fused multiply-add chains from +0 in order, then added to yT [row][column]
/// (to +0 for the first block).
#define CHANNEL_TILE(R, NV)                                                                      \
    static AVX512 void channel_tile_##R##_##NV(const float *const *pixels, const int *taps,      \
                                               int k0, int k1, const float *w, int K,            \
                                               float *yT, int outChannels, int first) {          \
        __m512 acc[R][NV];                                                                       \
        for (int r = 0; r < R; r++)                                                              \
            for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();                        \
        const float *p[R];                                                                       \
        for (int r = 0; r < R; r++) p[r] = pixels[r];                                            \
        for (int k = k0; k < k1; k++, w += LANES) {                                              \
            __m512 wv[NV];                                                                       \
            for (int v = 0; v < NV; v++) wv[v] = _mm512_loadu_ps(w + (size_t)v * K * LANES);     \
            int at = taps[k];                                                                    \
            for (int r = 0; r < R; r++) {                                                        \
                __m512 x = _mm512_set1_ps(p[r][at]);                                             \
                for (int v = 0; v < NV; v++) acc[r][v] = _mm512_fmadd_ps(wv[v], x, acc[r][v]);   \
            }                                                                                    \
        }                                                                                        \
        for (int r = 0; r < R; r++)                                                              \
            for (int v = 0; v < NV; v++) {                                                       \
                float *d = yT + (size_t)r * outChannels + LANES * v;                             \
                __m512 base = first ? _mm512_setzero_ps() : _mm512_loadu_ps(d);                  \
                _mm512_storeu_ps(d, _mm512_add_ps(base, acc[r][v]));                             \
            }                                                                                    \
    }
CHANNEL_TILE(6, 4)
CHANNEL_TILE(1, 4)
CHANNEL_TILE(8, 2)
CHANNEL_TILE(1, 2)
CHANNEL_TILE(8, 1)
CHANNEL_TILE(1, 1)

typedef void (*ChannelTile)(const float *const *, const int *, int, int, const float *, int, float *, int, int);

/// The tiles by vectors of 16 columns, widest first: a tile of `pixels` pixels, and one of
/// a single pixel for the remainder. About 24 accumulators each, and few pixels (each needs
/// a pointer register).
static const struct {
    int vectors, pixels;
    ChannelTile tile, single;
} channel_tiles[] = {
    {4, 6, channel_tile_6_4, channel_tile_1_4},
    {2, 8, channel_tile_8_2, channel_tile_1_2},
    {1, 8, channel_tile_8_1, channel_tile_1_1},
};

/// yT [count][columns] = the product above.
static AVX512 void channel_lane_product(const float *const *pixels, int count, const int *taps, int K,
                                        const float *packed, int columns, int blockQ, int unrollM, float *yT) {
    for (int k0 = 0; k0 < K;) {
        int k1 = k0 + dr_sgemm_block(K - k0, blockQ, unrollM);
        for (int o = 0; o < columns;) {
            int left = (columns - o) / LANES, t = 0;
            while (channel_tiles[t].vectors > left) t++;
            const float *w = packed + (size_t)o * K + (size_t)k0 * LANES;
            int p = 0;
            for (int r = channel_tiles[t].pixels; p + r <= count; p += r)
                channel_tiles[t].tile(pixels + p, taps, k0, k1, w, K, yT + (size_t)p * columns + o, columns, k0 == 0);
            for (; p < count; p++)
                channel_tiles[t].single(pixels + p, taps, k0, k1, w, K, yT + (size_t)p * columns + o, columns, k0 == 0);
            o += channel_tiles[t].vectors * LANES;
        }
        k0 = k1;
    }
}

/// Output pixels per pass of the product (a bounded array of their pointers on the stack; an
/// output's chain does not depend on which pass computes it).
enum { PIXEL_BLOCK = 1024 };

void dr_conv_channel_taps(int channels, int pH, int pW, int kernel, int *taps) {
    for (int c = 0, k = 0; c < channels; c++)
        for (int ky = 0; ky < kernel; ky++)
            for (int kx = 0; kx < kernel; kx++) taps[k++] = (c * pH + ky) * pW + kx;
}

AVX512 void dr_conv_forward_channels(const float *padded, int channels, int pW, int kernel, int stride,
                                     const int *taps, const float *packed, int outChannels, int outH, int outW,
                                     int blockQ, int unrollM, float *yT, float *y) {
    int K = channels * kernel * kernel, plane = outH * outW;
    const float *pixels[PIXEL_BLOCK];
    for (int p0 = 0; p0 < plane; p0 += PIXEL_BLOCK) {
        int count = plane - p0 < PIXEL_BLOCK ? plane - p0 : PIXEL_BLOCK;
        for (int i = 0; i < count; i++) {
            int oy = (p0 + i) / outW, ox = (p0 + i) % outW;
            pixels[i] = padded + (size_t)oy * stride * pW + (size_t)ox * stride;
        }
        channel_lane_product(pixels, count, taps, K, packed, outChannels, blockQ, unrollM,
                             yT + (size_t)p0 * outChannels);
    }
    dr_transpose(yT, plane, outChannels, y);
}
