#include "direct_conv.h"
#include <immintrin.h>
#include <string.h>

#define AVX512 __attribute__((target("avx512f,fma")))

int dr_direct_conv_available(void) {
    // AVX-512F and FMA, unless DEEPRANK_HIDE_AVX512 hides them (chains.h).
    return dr_isa_supported(DR_ISA_AVX512);
}

void dr_pad_image(const float *image, int channels, int height, int width, int pad, float *padded) {
    int pH = height + 2 * pad, pW = width + 2 * pad;
    memset(padded, 0, sizeof(float) * (size_t)channels * pH * pW);
    for (int c = 0; c < channels; c++)
        for (int y = 0; y < height; y++)
            memcpy(padded + ((size_t)c * pH + y + pad) * pW + pad, image + ((size_t)c * height + y) * width,
                   sizeof(float) * width);
}

void dr_pack_weight_groups(const float *weight, int outChannels, int K, int group, float *packed) {
    for (int o0 = 0; o0 < outChannels; o0 += group)
        for (int k = 0; k < K; k++)
            for (int o = 0; o < group; o++)
                packed[(size_t)o0 * K + (size_t)k * group + o] = weight[(size_t)(o0 + o) * K + k];
}

/// One 16 x 16 block: 16 rows of `source` (stride `ss`) become 16 rows of `target`
/// (stride `ts`), by 32-bit, 64-bit and 128-bit interleaves in registers.
static AVX512 void transpose_16x16(const float *source, size_t ss, float *target, size_t ts) {
    __m512 r[16], t[16];
    for (int i = 0; i < 16; i++) r[i] = _mm512_loadu_ps(source + i * ss);
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    }
    // u[4g + j], lane L: rows 4g..4g+3 of column 4L + j.
    for (int g = 0; g < 16; g += 4) {
        r[g] = _mm512_shuffle_ps(t[g], t[g + 2], 0x44);
        r[g + 1] = _mm512_shuffle_ps(t[g], t[g + 2], 0xEE);
        r[g + 2] = _mm512_shuffle_ps(t[g + 1], t[g + 3], 0x44);
        r[g + 3] = _mm512_shuffle_ps(t[g + 1], t[g + 3], 0xEE);
    }
    for (int j = 0; j < 4; j++) {
        __m512 a = _mm512_shuffle_f32x4(r[j], r[4 + j], 0x88), b = _mm512_shuffle_f32x4(r[j], r[4 + j], 0xDD);
        __m512 c = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0x88), d = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0xDD);
        _mm512_storeu_ps(target + (size_t)j * ts, _mm512_shuffle_f32x4(a, c, 0x88));
        _mm512_storeu_ps(target + (size_t)(4 + j) * ts, _mm512_shuffle_f32x4(b, d, 0x88));
        _mm512_storeu_ps(target + (size_t)(8 + j) * ts, _mm512_shuffle_f32x4(a, c, 0xDD));
        _mm512_storeu_ps(target + (size_t)(12 + j) * ts, _mm512_shuffle_f32x4(b, d, 0xDD));
    }
}

AVX512 void dr_transpose(const float *source, int rows, int columns, float *target) {
    int fullRows = rows / 16 * 16, fullColumns = columns / 16 * 16;
    for (int r = 0; r < fullRows; r += 16)
        for (int c = 0; c < fullColumns; c += 16)
            transpose_16x16(source + (size_t)r * columns + c, columns, target + (size_t)c * rows + r, rows);
    for (int r = 0; r < rows; r++)
        for (int c = r < fullRows ? fullColumns : 0; c < columns; c++)
            target[(size_t)c * rows + r] = source[(size_t)r * columns + c];
}

/// OC output channels times R output rows times NV vectors of 16 output columns:
/// OC * R * NV accumulators, each a fused multiply-add chain over the taps in im2col order.
#define FORWARD_TILE(OC, R, NV)                                                                  \
    static AVX512 void forward_tile_##OC##_##R##_##NV(const float *padded, int channels, int pH,  \
                                                      int pW, int kernel, const float *w, int K,  \
                                                      int oy, int ox, float *y, int plane,        \
                                                      int outW) {                                 \
        __m512 acc[OC][R][NV];                                                                   \
        for (int o = 0; o < OC; o++)                                                             \
            for (int r = 0; r < R; r++)                                                          \
                for (int v = 0; v < NV; v++) acc[o][r][v] = _mm512_setzero_ps();                 \
        int k = 0;                                                                               \
        for (int c = 0; c < channels; c++)                                                       \
            for (int ky = 0; ky < kernel; ky++) {                                                \
                const float *row = padded + ((size_t)c * pH + oy + ky) * pW + ox;               \
                for (int kx = 0; kx < kernel; kx++, k++) {                                       \
                    __m512 x[R][NV];                                                             \
                    for (int r = 0; r < R; r++)                                                  \
                        for (int v = 0; v < NV; v++)                                             \
                            x[r][v] = _mm512_loadu_ps(row + (size_t)r * pW + kx + 16 * v);       \
                    for (int o = 0; o < OC; o++) {                                               \
                        __m512 wv = _mm512_set1_ps(w[(size_t)o * K + k]);                        \
                        for (int r = 0; r < R; r++)                                              \
                            for (int v = 0; v < NV; v++)                                         \
                                acc[o][r][v] = _mm512_fmadd_ps(wv, x[r][v], acc[o][r][v]);       \
                    }                                                                            \
                }                                                                                \
            }                                                                                    \
        __m512 zero = _mm512_setzero_ps();                                                       \
        for (int o = 0; o < OC; o++)                                                             \
            for (int r = 0; r < R; r++)                                                          \
                for (int v = 0; v < NV; v++)                                                     \
                    _mm512_storeu_ps(y + (size_t)o * plane + (size_t)(oy + r) * outW + ox + 16 * v, \
                                     _mm512_add_ps(zero, acc[o][r][v]));                         \
    }
FORWARD_TILE(4, 1, 4)
FORWARD_TILE(4, 2, 2)
FORWARD_TILE(4, 4, 1)
FORWARD_TILE(4, 1, 1)

AVX512 void dr_conv_forward_direct(const float *padded, int channels, int pH, int pW, int kernel,
                                   const float *weight, int outChannels, int outH, int outW, float *y) {
    int K = channels * kernel * kernel, plane = outH * outW;
    for (int o = 0; o < outChannels; o += 4) {
        const float *w = weight + (size_t)o * K;
        float *yo = y + (size_t)o * plane;
        for (int ox = 0; ox < outW;) {
            int vectors = (outW - ox) / 16;
            if (vectors >= 4) {
                for (int oy = 0; oy < outH; oy++)
                    forward_tile_4_1_4(padded, channels, pH, pW, kernel, w, K, oy, ox, yo, plane, outW);
                ox += 64;
            } else if (vectors >= 2) {
                int oy = 0;
                for (; oy + 2 <= outH; oy += 2)
                    forward_tile_4_2_2(padded, channels, pH, pW, kernel, w, K, oy, ox, yo, plane, outW);
                for (; oy < outH; oy++) {
                    forward_tile_4_1_1(padded, channels, pH, pW, kernel, w, K, oy, ox, yo, plane, outW);
                    forward_tile_4_1_1(padded, channels, pH, pW, kernel, w, K, oy, ox + 16, yo, plane, outW);
                }
                ox += 32;
            } else {
                int oy = 0;
                for (; oy + 4 <= outH; oy += 4)
                    forward_tile_4_4_1(padded, channels, pH, pW, kernel, w, K, oy, ox, yo, plane, outW);
                for (; oy < outH; oy++)
                    forward_tile_4_1_1(padded, channels, pH, pW, kernel, w, K, oy, ox, yo, plane, outW);
                ox += 16;
            }
        }
    }
}

/// R image rows (taps (c, ky)) times KW columns (kx) times NO vectors of 16 output
/// channels, over output pixels [h0, h1) of a convolution with `stride`: R * KW * NO
/// accumulators.
#define GRADIENT_TILE(R, KW, NO)                                                                 \
    static AVX512 void gradient_tile_##R##_##KW##_##NO(const float *const *rows, const float *dyT, \
                                                       int outChannels, int outW, int pW,        \
                                                       int stride, int h0, int h1, float *dwT) { \
        __m512 acc[R][KW][NO];                                                                   \
        for (int r = 0; r < R; r++)                                                              \
            for (int t = 0; t < KW; t++)                                                         \
                for (int j = 0; j < NO; j++) acc[r][t][j] = _mm512_setzero_ps();                 \
        const float *p[R];                                                                       \
        for (int r = 0; r < R; r++) p[r] = rows[r];                                              \
        int oy = h0 / outW, ox = h0 % outW;                                                      \
        for (int h = h0; h < h1; h++) {                                                          \
            size_t at = ((size_t)oy * pW + ox) * stride;                                         \
            __m512 d[NO];                                                                        \
            for (int j = 0; j < NO; j++) d[j] = _mm512_loadu_ps(dyT + (size_t)h * outChannels + 16 * j); \
            for (int r = 0; r < R; r++)                                                          \
                for (int t = 0; t < KW; t++) {                                                   \
                    __m512 x = _mm512_set1_ps(p[r][at + t]);                                     \
                    for (int j = 0; j < NO; j++) acc[r][t][j] = _mm512_fmadd_ps(x, d[j], acc[r][t][j]); \
                }                                                                                \
            if (++ox == outW) { ox = 0; oy++; }                                                  \
        }                                                                                        \
        for (int r = 0; r < R; r++)                                                              \
            for (int t = 0; t < KW; t++)                                                         \
                for (int j = 0; j < NO; j++) {                                                   \
                    float *c = dwT + (size_t)(r * KW + t) * outChannels + 16 * j;                \
                    _mm512_storeu_ps(c, _mm512_add_ps(_mm512_loadu_ps(c), acc[r][t][j]));        \
                }                                                                                \
    }
GRADIENT_TILE(2, 5, 2)
GRADIENT_TILE(1, 5, 2)
GRADIENT_TILE(4, 3, 2)
GRADIENT_TILE(1, 3, 2)
GRADIENT_TILE(2, 5, 1)
GRADIENT_TILE(1, 5, 1)
GRADIENT_TILE(4, 3, 1)
GRADIENT_TILE(1, 3, 1)
GRADIENT_TILE(1, 8, 2)
GRADIENT_TILE(1, 8, 1)
GRADIENT_TILE(1, 11, 2)
GRADIENT_TILE(1, 11, 1)

typedef void (*GradientTile)(const float *const *, const float *, int, int, int, int, int, int, float *);

/// Per kernel size: tiles of `group` tap rows (a remainder of one row at a time) by one or
/// two vectors of 16 output channels, tiles[two vectors][whole group].
static const struct {
    int kernel, group;
    GradientTile tiles[2][2];
} gradient_tiles[] = {
    {3, 4, {{gradient_tile_1_3_1, gradient_tile_4_3_1}, {gradient_tile_1_3_2, gradient_tile_4_3_2}}},
    {5, 2, {{gradient_tile_1_5_1, gradient_tile_2_5_1}, {gradient_tile_1_5_2, gradient_tile_2_5_2}}},
    {8, 1, {{gradient_tile_1_8_1, gradient_tile_1_8_1}, {gradient_tile_1_8_2, gradient_tile_1_8_2}}},
    {11, 1, {{gradient_tile_1_11_1, gradient_tile_1_11_1}, {gradient_tile_1_11_2, gradient_tile_1_11_2}}},
};

int dr_conv_weight_gradient_covers(int kernel) {
    for (size_t i = 0; i < sizeof gradient_tiles / sizeof gradient_tiles[0]; i++)
        if (gradient_tiles[i].kernel == kernel) return 1;
    return 0;
}

AVX512 void dr_conv_weight_gradient_direct(const float *padded, int channels, int pH, int pW, int kernel, int stride,
                                           const float *dyT, int outChannels, int outH, int outW,
                                           int blockQ, int unrollM, float *dwT) {
    int hw = outH * outW, tapRows = channels * kernel;
    const float *rows[tapRows];
    for (int c = 0; c < channels; c++)
        for (int ky = 0; ky < kernel; ky++) rows[c * kernel + ky] = padded + ((size_t)c * pH + ky) * pW;
    size_t entry = 0;
    while (gradient_tiles[entry].kernel != kernel) entry++;  // the caller checked dr_conv_weight_gradient_covers
    int group = gradient_tiles[entry].group;
    GradientTile const (*tiles)[2] = gradient_tiles[entry].tiles;
    for (int h0 = 0; h0 < hw;) {
        int h1 = h0 + dr_sgemm_block(hw - h0, blockQ, unrollM);
        for (int o = 0; o < outChannels;) {
            int pair = o + 32 <= outChannels;
            for (int r = 0; r < tapRows;) {
                int many = r + group <= tapRows;
                tiles[pair][many](rows + r, dyT + o, outChannels, outW, pW, stride, h0, h1,
                                  dwT + (size_t)r * kernel * outChannels + o);
                r += many ? group : 1;
            }
            o += pair ? 32 : 16;
        }
        h0 = h1;
    }
}

AVX512 void dr_conv_weight_gradient_images(const float *padded, size_t paddedStride, const float *dyT,
                                           size_t dyTStride, int images, int channels, int pH, int pW, int kernel,
                                           int stride, int outChannels, int outH, int outW, int blockQ,
                                           int unrollM, float *dwT) {
    int hw = outH * outW, tapRows = channels * kernel;
    size_t entry = 0;
    while (gradient_tiles[entry].kernel != kernel) entry++;  // the caller checked dr_conv_weight_gradient_covers
    int group = gradient_tiles[entry].group;
    GradientTile const (*tiles)[2] = gradient_tiles[entry].tiles;
    for (int o = 0; o < outChannels;) {
        int pair = o + 32 <= outChannels;
        for (int r = 0; r < tapRows;) {
            int many = r + group <= tapRows, count = many ? group : 1;
            float *tile = dwT + (size_t)r * kernel * outChannels + o;
            for (int i = 0; i < images; i++) {
                const float *image = padded + i * paddedStride, *rows[4];
                for (int j = 0; j < count; j++)
                    rows[j] = image + ((size_t)((r + j) / kernel) * pH + (r + j) % kernel) * pW;
                for (int h0 = 0; h0 < hw;) {
                    int h1 = h0 + dr_sgemm_block(hw - h0, blockQ, unrollM);
                    tiles[pair][many](rows, dyT + i * dyTStride + o, outChannels, outW, pW, stride, h0, h1, tile);
                    h0 = h1;
                }
            }
            r += count;
        }
        o += pair ? 32 : 16;
    }
}
