import CChains
import CConvKernels
import TensorKit

/// Direct convolution kernels, computing exactly the bits im2col + OpenBLAS's AVX-512 sgemm
/// computes, without building the column matrix: the forward pass, the weight gradient and
/// (for "same" convolutions) the input gradient without col2im.
///
/// OpenBLAS 0.3.21's Cooperlake sgemm (the order `BLAS.sgemm`'s chain kernels compute on
/// every CPU) computes each entry of C as a chain of fused multiply-adds over K in order,
/// starting from +0, for every K block (`sgemmBlockQ` = 320; the level-3 driver halves the
/// last two blocks, rounded up to `sgemmUnrollM` = 16), adding each block's chain to C.
/// The kernels in `CConvKernels` do the same chains in the same order: the forward output
/// `y[o, p]` over the taps (channel, ky, kx) of each K block; the weight gradient `dW[o, k]`
/// over the output pixels in OpenBLAS's blocks; the input gradient as, per tap in col2im's order, the chain
/// over the output channels added onto the pixel. Replays of runs made with im2col + sgemm
/// stay bit-identical (`DirectConvolutionTests` checks every path bit for bit against
/// im2col + sgemm, and the kernels against a scalar emulation).
///
/// Used only where that holds and was checked, on AVX-512 CPUs on the AVX-512 path:
/// - `applies`: the stride-1 kernels (the reference network's layers): kernel 3 or 5; output
///   width and channels multiples of 16; `K Cout Ho Wo` above 10^6 (OpenBLAS runs smaller
///   products through its small-matrix kernels, whose order differs); and either at most 4
///   input channels with `K <= 320` (the few-channel forward tiles) or K blocks that end on
///   channel boundaries (the packed forward tiles). The input gradient also needs "same"
///   padding, input channels a multiple of 8 and `Cout <= 320`.
/// - Elsewhere (the paper-sized network's stride-4 layers and 26- and 12-wide ones), each
///   product that takes sgemm's level-3 path, where an entry's chain depends on its
///   reduction length alone: the channel-lane forward kernel (`appliesByChannels`: lanes
///   are 16 output channels, so stride and width do not matter), the weight-gradient kernel
///   with a stride (`appliesToWeightGradient`; image by image, or on a chunk's images at
///   once where `dW^T` outgrows the cache, `weightGradientByImages`); their input gradients
///   stay sgemm + col2im.
/// Everything else uses im2col + sgemm (and col2im).
public enum DirectConvolution {
    /// OpenBLAS's K block for sgemm on Cooperlake (`DR_SGEMM_COOPERLAKE_Q`), the one
    /// `BLAS.sgemm`'s chains use.
    static let sgemmBlockQ = Int(DR_SGEMM_COOPERLAKE_Q)
    /// OpenBLAS's sgemm M unroll on SkylakeX/Cooperlake (`DR_SGEMM_UNROLL_M`).
    static let sgemmUnrollM = Int(DR_SGEMM_UNROLL_M)
    /// Products `K Cout Ho Wo` at or below this go through OpenBLAS's small-matrix kernels.
    static let smallMatrixLimit = Int(DR_SGEMM_SMALL_PRODUCT)
    /// Layers with at most this many input channels (and one K block) take the few-channel
    /// forward tiles, which read unpacked weights; the others the packed ones.
    static let fewChannels = 4

    /// Whether this process runs the kernels: an AVX-512 CPU on the AVX-512 path
    /// (`InstructionSet.selected`). `BLAS.sgemm` computes OpenBLAS's AVX-512 order on every
    /// path, so the kernels no longer depend on which kernels OpenBLAS itself loaded.
    public static let isAvailable: Bool = cpuSupportsKernels && InstructionSet.selected == .avx512

    /// Whether the CPU has the instructions the kernels use (AVX-512F and FMA).
    public static let cpuSupportsKernels: Bool = dr_direct_conv_available() != 0

    /// Whether the forward pass and weight gradient of a convolution of this geometry
    /// (input `g.channels`, `outChannels` filters) meet every condition above other than
    /// the CPU's.
    public static func applies(to g: ConvGeometry, outChannels: Int) -> Bool {
        g.stride == 1 && g.kernelH == g.kernelW && [3, 5].contains(g.kernelH)
            && g.outWidth % 16 == 0 && outChannels % 16 == 0
            && g.patchSize * outChannels * g.outPixels > smallMatrixLimit
            && (usesFewChannelTiles(g) || blocks(g.patchSize).allSatisfy { $0.upperBound % (g.kernelH * g.kernelW) == 0 })
    }

    /// Whether the forward pass of a convolution of this geometry takes the channel-lane
    /// kernel (`dr_conv_forward_channels`), for the layers `applies` does not cover: any
    /// stride, padding and output width, output channels a multiple of 16, and a product
    /// that takes the level-3 path (there each output's chain depends on K alone).
    public static func appliesByChannels(to g: ConvGeometry, outChannels: Int) -> Bool {
        g.kernelH == g.kernelW && outChannels % 16 == 0
            && ChainGemm.takesLevel3Path(m: outChannels, n: g.outPixels, k: g.patchSize)
    }

    /// The per-image weight-gradient kernel reads and writes all of `dW^T` once per image.
    /// Where that pass stays in a core's cache (at most `weightGradientCachedEntries`
    /// entries) or is paid for by at least `weightGradientMinimumPixels` output pixels, the
    /// kernel runs image by image; elsewhere it runs on a chunk's images at once
    /// (`weightGradientByImages`), tile by tile over `dW^T`, so each tile stays in cache across
    /// the images. Paper-sized layers, forward + backward with the channel-lane forward kernel
    /// against im2col + sgemm (`deeprank bench engine`): 12 x 12 outputs with 2,304-3,456 taps
    /// (3.5-5.3 MB of `dW^T`) ran 0.89-0.95x as fast image by image (one run, Intel VM) and
    /// 1.12-1.22x by images (three runs, AMD VM); 26 x 26 outputs 1.09x, 54 x 54 1.23x and the
    /// 8:1 shallow part (6 x 6 outputs, 74 KB of `dW^T`) 1.23x image by image (Intel VM).
    static let weightGradientCachedEntries = 1 << 18
    static let weightGradientMinimumPixels = 256

    /// Whether the weight gradient of a convolution of this geometry takes the direct kernel
    /// (`dr_conv_weight_gradient_direct` or `dr_conv_weight_gradient_images`) where `applies`
    /// does not hold: any stride, padding and output width, kernel 3, 5, 8 or 11, output
    /// channels a multiple of 16, and a product `dW^T = cols dY^T` that takes the level-3
    /// path (each entry's chain depends on the output pixels alone).
    public static func appliesToWeightGradient(_ g: ConvGeometry, outChannels: Int) -> Bool {
        g.kernelH == g.kernelW && dr_conv_weight_gradient_covers(Int32(g.kernelH)) != 0 && outChannels % 16 == 0
            && ChainGemm.takesLevel3Path(transposeB: true, m: g.patchSize, n: outChannels, k: g.outPixels)
    }

    /// Whether the direct weight gradient of this geometry runs on a chunk's images at once
    /// (`accumulateWeightGradients`) rather than image by image: a `dW^T` larger than a
    /// core's cache and too few output pixels to pay for a pass over it per image.
    public static func weightGradientByImages(_ g: ConvGeometry, outChannels: Int) -> Bool {
        g.patchSize * outChannels > weightGradientCachedEntries && g.outPixels < weightGradientMinimumPixels
    }

    /// Whether the input gradient of a convolution that `applies` is covered too: "same"
    /// padding, input channels a multiple of 8, and the output channels one K block.
    public static func appliesToInputGradient(_ g: ConvGeometry, outChannels: Int) -> Bool {
        applies(to: g, outChannels: outChannels) && g.kernelW == 2 * g.padding + 1
            && g.channels % 8 == 0 && g.width % 16 == 0 && outChannels <= sgemmBlockQ
    }

    static func usesFewChannelTiles(_ g: ConvGeometry) -> Bool {
        g.channels <= fewChannels && g.patchSize <= sgemmBlockQ
    }

    /// OpenBLAS's K blocks for a reduction of length `k` (the rule the kernels follow,
    /// `dr_sgemm_block`).
    static func blocks(_ k: Int) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        while start < k {
            let length = Int(dr_sgemm_block(Int32(k - start), Int32(sgemmBlockQ), Int32(sgemmUnrollM)))
            result.append(start..<(start + length))
            start += length
        }
        return result
    }

    /// Elements of the zero-padded copy of one image.
    static func paddedSize(_ g: ConvGeometry) -> Int {
        g.channels * (g.height + 2 * g.padding) * (g.width + 2 * g.padding)
    }

    /// Elements of the weights as `forward` reads them (`packForward`); 0 for the
    /// few-channel tiles, which read `W` as it is.
    static func packedForwardSize(_ g: ConvGeometry, outChannels: Int) -> Int {
        usesFewChannelTiles(g) ? 0 : outChannels * g.patchSize
    }

    /// Packs `W [Cout, K]` for `forward` into `packed` (`packedForwardSize` elements).
    static func packForward(_ weight: UnsafePointer<Float>, _ g: ConvGeometry, outChannels: Int,
                            into packed: UnsafeMutablePointer<Float>) {
        guard !usesFewChannelTiles(g) else { return }
        dr_pack_forward_weights(weight, Int32(outChannels), Int32(g.patchSize), packed)
    }

    /// `y [Cout, Ho, Wo] = W [Cout, K] * im2col(image)`, bit-identical to the sgemm
    /// (no bias). `packed` holds `W` packed by `packForward`; `padded` is scratch of
    /// `paddedSize(g)` elements.
    static func forward(_ image: UnsafePointer<Float>, _ g: ConvGeometry, weight: UnsafePointer<Float>,
                        packed: UnsafePointer<Float>, outChannels: Int, padded: UnsafeMutablePointer<Float>,
                        into y: UnsafeMutablePointer<Float>) {
        pad(image, g, into: padded)
        let pH = Int32(g.height + 2 * g.padding), pW = Int32(g.width + 2 * g.padding)
        if usesFewChannelTiles(g) {
            dr_conv_forward_direct(padded, Int32(g.channels), pH, pW, Int32(g.kernelH), weight, Int32(outChannels),
                                   Int32(g.outHeight), Int32(g.outWidth), y)
        } else {
            dr_conv_forward_packed(padded, Int32(g.channels), pH, pW, Int32(g.kernelH), packed, Int32(outChannels),
                                   Int32(g.outHeight), Int32(g.outWidth), Int32(sgemmBlockQ), Int32(sgemmUnrollM), y)
        }
    }

    /// Elements of the weights as `forwardByChannels` reads them.
    static func packedChannelSize(_ g: ConvGeometry, outChannels: Int) -> Int { outChannels * g.patchSize }

    /// Packs `W [Cout, K]` for `forwardByChannels` into `packed` (`packedChannelSize` elements).
    static func packByChannels(_ weight: UnsafePointer<Float>, _ g: ConvGeometry, outChannels: Int,
                               into packed: UnsafeMutablePointer<Float>) {
        dr_pack_channel_weights(weight, Int32(outChannels), Int32(g.patchSize), packed)
    }

    /// Each tap's offset from an output pixel's first one in the zero-padded image, in im2col
    /// order (what `forwardByChannels` reads the image through).
    static func channelTaps(_ g: ConvGeometry) -> [Int32] {
        var taps = [Int32](repeating: 0, count: g.patchSize)
        dr_conv_channel_taps(Int32(g.channels), Int32(g.height + 2 * g.padding), Int32(g.width + 2 * g.padding),
                             Int32(g.kernelH), &taps)
        return taps
    }

    /// `y [Cout, Ho, Wo] = W [Cout, K] * im2col(image)` for the geometries `appliesByChannels`
    /// covers, bit-identical to the sgemm (no bias). `taps` are `channelTaps(g)`; `packed`
    /// holds `W` packed by `packByChannels`; `padded` and `yT` are scratch of `paddedSize(g)`
    /// and `Cout Ho Wo` elements.
    static func forwardByChannels(_ image: UnsafePointer<Float>, _ g: ConvGeometry, taps: UnsafePointer<Int32>,
                                  packed: UnsafePointer<Float>, outChannels: Int, padded: UnsafeMutablePointer<Float>,
                                  yT: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        pad(image, g, into: padded)
        dr_conv_forward_channels(padded, Int32(g.channels), Int32(g.width + 2 * g.padding), Int32(g.kernelH),
                                 Int32(g.stride), taps, packed, Int32(outChannels), Int32(g.outHeight),
                                 Int32(g.outWidth), Int32(sgemmBlockQ), Int32(sgemmUnrollM), yT, y)
    }

    /// Elements of the weights as `inputGradient` reads them.
    static func packedInputGradientSize(_ g: ConvGeometry, outChannels: Int) -> Int { outChannels * g.patchSize }

    /// Packs `W [Cout, K]` for `inputGradient` into `packed` (`packedInputGradientSize` elements).
    static func packInputGradient(_ weight: UnsafePointer<Float>, _ g: ConvGeometry, outChannels: Int,
                                  into packed: UnsafeMutablePointer<Float>) {
        dr_pack_input_gradient_weights(weight, Int32(outChannels), Int32(g.channels), Int32(g.kernelH), packed)
    }

    /// Elements of the zero-bordered output gradient `inputGradient` reads.
    static func paddedGradientSize(_ g: ConvGeometry, outChannels: Int) -> Int {
        outChannels * (g.outHeight + 2 * g.padding) * (g.outWidth + 2 * g.padding)
    }

    /// `dx [Cin, H, W] = col2im(W^T dY)` for one image's output gradient `dy [Cout, Ho, Wo]`,
    /// bit-identical to the sgemm (beta 0) and col2im (`appliesToInputGradient` geometries).
    /// `packed` holds `W` packed by `packInputGradient`; `paddedDy` is scratch of
    /// `paddedGradientSize` elements.
    static func inputGradient(_ dy: UnsafePointer<Float>, _ g: ConvGeometry, packed: UnsafePointer<Float>,
                              outChannels: Int, paddedDy: UnsafeMutablePointer<Float>,
                              into dx: UnsafeMutablePointer<Float>) {
        dr_pad_image(dy, Int32(outChannels), Int32(g.outHeight), Int32(g.outWidth), Int32(g.padding), paddedDy)
        dr_conv_input_gradient_direct(paddedDy, Int32(outChannels), Int32(g.kernelH), packed, Int32(g.channels),
                                      Int32(g.height), Int32(g.width), dx)
    }

    /// `dW^T [K, Cout] += im2col(image) * dY^T` for one image's output gradient
    /// `dy [Cout, Ho, Wo]`, bit-identical to the sgemm with beta 1 (zero `dwT` first for
    /// beta 0). `padded` and `dyT` are scratch of `paddedSize(g)` and `Cout Ho Wo` elements.
    static func accumulateWeightGradient(_ image: UnsafePointer<Float>, _ g: ConvGeometry, dy: UnsafePointer<Float>,
                                         outChannels: Int, padded: UnsafeMutablePointer<Float>,
                                         dyT: UnsafeMutablePointer<Float>, into dwT: UnsafeMutablePointer<Float>) {
        stageWeightGradient(image, g, dy: dy, outChannels: outChannels, padded: padded, dyT: dyT)
        dr_conv_weight_gradient_direct(padded, Int32(g.channels), Int32(g.height + 2 * g.padding),
                                       Int32(g.width + 2 * g.padding), Int32(g.kernelH), Int32(g.stride), dyT,
                                       Int32(outChannels),
                                       Int32(g.outHeight), Int32(g.outWidth), Int32(sgemmBlockQ),
                                       Int32(sgemmUnrollM), dwT)
    }

    /// Stages one image for `accumulateWeightGradients`: its zero-padded copy into `padded`
    /// (`paddedSize(g)` elements) and its output gradient `dy [Cout, Ho, Wo]` transposed into
    /// `dyT` (`Cout Ho Wo` elements).
    static func stageWeightGradient(_ image: UnsafePointer<Float>, _ g: ConvGeometry, dy: UnsafePointer<Float>,
                                    outChannels: Int, padded: UnsafeMutablePointer<Float>,
                                    dyT: UnsafeMutablePointer<Float>) {
        pad(image, g, into: padded)
        dr_transpose(dy, Int32(outChannels), Int32(g.outPixels), dyT)
    }

    /// `dW^T [K, Cout] +=` the weight gradients of `images` images that
    /// `stageWeightGradient` put at `padded + i paddedSize(g)` and `dyT + i Cout Ho Wo`, added
    /// in image order: the bits of `accumulateWeightGradient` called image by image.
    static func accumulateWeightGradients(images: Int, _ g: ConvGeometry, outChannels: Int,
                                          padded: UnsafePointer<Float>, dyT: UnsafePointer<Float>,
                                          into dwT: UnsafeMutablePointer<Float>) {
        dr_conv_weight_gradient_images(padded, paddedSize(g), dyT, outChannels * g.outPixels, Int32(images),
                                       Int32(g.channels), Int32(g.height + 2 * g.padding),
                                       Int32(g.width + 2 * g.padding), Int32(g.kernelH), Int32(g.stride),
                                       Int32(outChannels), Int32(g.outHeight), Int32(g.outWidth),
                                       Int32(sgemmBlockQ), Int32(sgemmUnrollM), dwT)
    }

    private static func pad(_ image: UnsafePointer<Float>, _ g: ConvGeometry, into padded: UnsafeMutablePointer<Float>) {
        dr_pad_image(image, Int32(g.channels), Int32(g.height), Int32(g.width), Int32(g.padding), padded)
    }
}
