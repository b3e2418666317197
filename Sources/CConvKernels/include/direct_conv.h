#ifndef DEEPRANK_DIRECT_CONV_H
#define DEEPRANK_DIRECT_CONV_H

/// 1 when the CPU runs the AVX-512 kernels below, else 0 (callers then use im2col + sgemm).
int dr_direct_conv_available(void);

/// Copies one image [channels, height, width] into [channels, height + 2 pad, width + 2 pad]
/// with a zero border.
void dr_pad_image(const float *image, int channels, int height, int width, int pad, float *padded);

/// Transposes a [rows, columns] matrix into [columns, rows].
void dr_transpose(const float *source, int rows, int columns, float *target);

/// Forward of a stride-1 convolution of one zero-padded image `padded` [channels, pH, pW]:
/// y [outChannels, outH, outW] = 0 + the fused multiply-add chain over the taps in im2col
/// order (channel, ky, kx), each chain starting from +0: the operations OpenBLAS's AVX-512
/// sgemm performs for one output of W (outChannels x K) * cols (K x outH*outW) when
/// K = channels * kernel^2 fits one K block. Needs outChannels % 4 == 0, outW % 16 == 0.
void dr_conv_forward_direct(const float *padded, int channels, int pH, int pW, int kernel,
                            const float *weight, int outChannels, int outH, int outW, float *y);

/// Weight gradient of one image, accumulated: dwT [K, outChannels] += cols (K x HW) * dyT
/// (HW x outChannels), with cols the im2col matrix of `padded` (never built), as OpenBLAS's
/// AVX-512 sgemm computes it: HW cut into blocks (`blockQ`, the last two halved to multiples
/// of `unrollM` as its level-3 driver does), each block a fused multiply-add chain from +0
/// added to dwT. Needs outChannels % 16 == 0.
void dr_conv_weight_gradient_direct(const float *padded, int channels, int pH, int pW, int kernel,
                                    const float *dyT, int outChannels, int outH, int outW,
                                    int blockQ, int unrollM, float *dwT);
#endif
