#ifndef DEEPRANK_DIRECT_CONV_H
#define DEEPRANK_DIRECT_CONV_H

#include <stddef.h>
#include "chains.h"  // dr_sgemm_block, DR_SGEMM_COOPERLAKE_Q

/// 1 when the CPU runs the AVX-512 kernels below, else 0 (callers then use im2col + sgemm).
int dr_direct_conv_available(void);

/// Copies one image [channels, height, width] into [channels, height + 2 pad, width + 2 pad]
/// with a zero border.
void dr_pad_image(const float *image, int channels, int height, int width, int pad, float *padded);

/// Packs weight [outChannels, K] in groups of `group` output channels side by side for each
/// k: [outChannels / group][K][group]. Needs outChannels % group == 0.
void dr_pack_weight_groups(const float *weight, int outChannels, int K, int group, float *packed);

/// Transposes a [rows, columns] matrix into [columns, rows] (AVX-512: 16 x 16 blocks in registers).
void dr_transpose(const float *source, int rows, int columns, float *target);

/// Forward of a stride-1 convolution of one zero-padded image `padded` [channels, pH, pW]:
/// y [outChannels, outH, outW] = 0 + the fused multiply-add chain over the taps in im2col
/// order (channel, ky, kx), each chain starting from +0: the operations OpenBLAS's AVX-512
/// sgemm performs for one output of W (outChannels x K) * cols (K x outH*outW) when
/// K = channels * kernel^2 fits one K block. Needs outChannels % 4 == 0, outW % 16 == 0.
void dr_conv_forward_direct(const float *padded, int channels, int pH, int pW, int kernel,
                            const float *weight, int outChannels, int outH, int outW, float *y);

/// 1 when dr_conv_weight_gradient_direct has tiles for this kernel size (3, 5, 8, 11), else 0.
int dr_conv_weight_gradient_covers(int kernel);

/// Weight gradient of one image, accumulated: dwT [K, outChannels] += cols (K x HW) * dyT
/// (HW x outChannels), with cols the im2col matrix of `padded` for a convolution with
/// `stride` (never built), as OpenBLAS's AVX-512 sgemm computes it on its level-3 path: HW
/// cut into blocks (`blockQ`, the last two halved to multiples of `unrollM` as its driver
/// does), each block a fused multiply-add chain from +0 added to dwT. Needs
/// outChannels % 16 == 0 and a kernel size dr_conv_weight_gradient_covers.
void dr_conv_weight_gradient_direct(const float *padded, int channels, int pH, int pW, int kernel, int stride,
                                    const float *dyT, int outChannels, int outH, int outW,
                                    int blockQ, int unrollM, float *dwT);

/// The weight gradients of `images` images added to dwT in image order, each as
/// dr_conv_weight_gradient_direct adds it (the same bits as calling it once per image):
/// image i is `padded + i * paddedStride` and its transposed output gradient
/// `dyT + i * dyTStride`. The loops run tile by tile over dwT, images innermost, so a tile
/// of dwT stays in cache across the images: for a dwT too large for a core's cache, which
/// the per-image kernel would read and write once per image. Same requirements.
void dr_conv_weight_gradient_images(const float *padded, size_t paddedStride, const float *dyT,
                                    size_t dyTStride, int images, int channels, int pH, int pW, int kernel,
                                    int stride, int outChannels, int outH, int outW, int blockQ,
                                    int unrollM, float *dwT);

/// Packs weight [outChannels, K] for dr_conv_forward_packed: groups of 8 output channels,
/// [outChannels / 8][K][8]. Needs outChannels % 8 == 0.
void dr_pack_forward_weights(const float *weight, int outChannels, int K, float *packed);

/// Forward of a stride-1 convolution of one zero-padded image `padded` [channels, pH, pW]
/// with weights packed by dr_pack_forward_weights: y [outChannels, outH, outW] as OpenBLAS's
/// AVX-512 sgemm computes W (outChannels x K) * cols (K x outH*outW): K cut into blocks as
/// its level-3 driver does (`blockQ`, the last two halved to multiples of `unrollM`), each
/// block a fused multiply-add chain over its taps in im2col order from +0, added to y (to
/// +0 for the first). Needs every block to end on a channel boundary, outChannels % 8 == 0,
/// outW % 16 == 0, kernel 3 or 5.
void dr_conv_forward_packed(const float *padded, int channels, int pH, int pW, int kernel,
                            const float *packed, int outChannels, int outH, int outW,
                            int blockQ, int unrollM, float *y);

/// Packs weight [outChannels, K] for dr_conv_forward_channels: vectors of 16 output
/// channels, [outChannels / 16][K][16]. Needs outChannels % 16 == 0.
void dr_pack_channel_weights(const float *weight, int outChannels, int K, float *packed);

/// Forward of a convolution of any stride of one zero-padded image `padded` [channels, pH, pW]
/// (square kernel) with weights packed by dr_pack_channel_weights: y [outChannels, outH, outW]
/// as OpenBLAS's AVX-512 sgemm computes W (outChannels x K) * cols (K x outH*outW) on its
/// level-3 path: K cut into blocks as its driver does (`blockQ`, the last two halved to
/// multiples of `unrollM`), each block a fused multiply-add chain over its taps in im2col
/// order from +0, added to y (to +0 for the first). The lanes are output channels, so any
/// stride and output width run at full width; `taps` holds each tap's offset in the padded
/// image (dr_conv_channel_taps); the result is built in `yT` [outH*outW, outChannels]
/// (scratch) and transposed into y. Needs outChannels % 16 == 0.
void dr_conv_forward_channels(const float *padded, int channels, int pW, int kernel, int stride,
                              const int *taps, const float *packed, int outChannels, int outH, int outW,
                              int blockQ, int unrollM, float *yT, float *y);

/// The offset of every tap (channel, ky, kx), in im2col order, from an output pixel's first
/// tap in a padded image [channels, pH, pW]: channels * kernel^2 ints.
void dr_conv_channel_taps(int channels, int pH, int pW, int kernel, int *taps);

/// Packs weight [outChannels, channels * kernel^2] for dr_conv_input_gradient_direct:
/// groups of 8 input channels, [channels / 8][kernel^2][outChannels][8]. Needs channels % 8 == 0.
void dr_pack_input_gradient_weights(const float *weight, int outChannels, int channels, int kernel,
                                    float *packed);

/// Input gradient of a stride-1 "same" convolution (padding (kernel - 1) / 2) for one image:
/// dx [channels, height, width] = col2im(W^T * dY) with the bits of OpenBLAS's AVX-512 sgemm
/// (one fused multiply-add chain over the output channels from +0 per column-matrix entry;
/// needs outChannels <= its K block) followed by col2im (taps added in order onto zero),
/// from `dyPadded` [outChannels, height + kernel - 1, width + kernel - 1], the output
/// gradient with a zero border of (kernel - 1) / 2. Needs channels % 8 == 0, width % 16 == 0,
/// kernel 3 or 5.
void dr_conv_input_gradient_direct(const float *dyPadded, int outChannels, int kernel, const float *packed,
                                   int channels, int height, int width, float *dx);
#endif
