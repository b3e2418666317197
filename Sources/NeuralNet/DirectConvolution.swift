import CConvKernels
import TensorKit

/// Direct convolution kernels for the layers where im2col + sgemm is weakest (few input
/// channels: the first layer of every path, K = 3 x 5 x 5 = 75), computing exactly the
/// bits im2col + OpenBLAS's AVX-512 sgemm computes, without building the column matrix.
///
/// OpenBLAS 0.3.21's SkylakeX/Cooperlake sgemm computes each entry of C as a chain of
/// fused multiply-adds over K in order, starting from +0, for every K block
/// (`sgemmBlockQ` = 320; the level-3 driver halves the last two blocks, rounded up to
/// `sgemmUnrollM` = 16), adding each block's chain to C. The kernels in `CConvKernels` do
/// the same chains in the same order: the forward output `y[o, p]` over the taps
/// (channel, ky, kx) of one K block, and the weight gradient `dW[o, k]` over the output
/// pixels in OpenBLAS's blocks. Replays of runs made with im2col + sgemm stay bit-identical
/// (`DirectConvolutionTests` checks both paths bit for bit, and a scalar emulation).
///
/// Used only where that holds and was checked: AVX-512 CPUs with OpenBLAS on its SkylakeX
/// or Cooperlake kernels; stride 1; kernel 3 or 5; `K = Cin k^2 <= 320` (one K block in the
/// forward pass); output width and channels multiples of 16; and `K Cout Ho Wo` above
/// 10^6 (OpenBLAS runs smaller products through its small-matrix kernels, whose order
/// differs). Elsewhere `Conv2D` uses im2col + sgemm.
public enum DirectConvolution {
    /// OpenBLAS's K block for sgemm on SkylakeX/Cooperlake (`SGEMM_DEFAULT_Q`).
    static let sgemmBlockQ = 320
    /// OpenBLAS's sgemm M unroll on SkylakeX/Cooperlake (`SGEMM_DEFAULT_UNROLL_M`).
    static let sgemmUnrollM = 16
    /// Products `K Cout Ho Wo` at or below this go through OpenBLAS's small-matrix kernels.
    static let smallMatrixLimit = 1_000_000
    /// Only layers with at most this many input channels: with more, im2col + sgemm is as fast.
    static let maxInputChannels = 4

    /// Whether this process runs the kernels: an AVX-512 CPU and OpenBLAS on the kernels
    /// whose order they reproduce.
    public static let isAvailable: Bool =
        cpuSupportsKernels && ["cooperlake", "skylakex"].contains(BLAS.coreType.lowercased())

    /// Whether the CPU has the instructions the kernels use (AVX-512F and FMA).
    public static let cpuSupportsKernels: Bool = dr_direct_conv_available() != 0

    /// Whether a convolution of this geometry (input `g.channels`, `outChannels` filters)
    /// meets every condition above other than the CPU's.
    public static func applies(to g: ConvGeometry, outChannels: Int) -> Bool {
        g.stride == 1 && g.kernelH == g.kernelW && [3, 5].contains(g.kernelH)
            && g.channels <= maxInputChannels && g.patchSize <= sgemmBlockQ
            && g.outWidth % 16 == 0 && outChannels % 16 == 0
            && g.patchSize * outChannels * g.outPixels > smallMatrixLimit
    }

    /// Elements of the zero-padded copy of one image.
    static func paddedSize(_ g: ConvGeometry) -> Int {
        g.channels * (g.height + 2 * g.padding) * (g.width + 2 * g.padding)
    }

    /// `y [Cout, Ho, Wo] = W [Cout, K] * im2col(image)`, bit-identical to the sgemm
    /// (no bias). `padded` is scratch of `paddedSize(g)` elements.
    static func forward(_ image: UnsafePointer<Float>, _ g: ConvGeometry, weight: UnsafePointer<Float>,
                        outChannels: Int, padded: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        pad(image, g, into: padded)
        dr_conv_forward_direct(padded, Int32(g.channels), Int32(g.height + 2 * g.padding),
                               Int32(g.width + 2 * g.padding), Int32(g.kernelH), weight, Int32(outChannels),
                               Int32(g.outHeight), Int32(g.outWidth), y)
    }

    /// `dW^T [K, Cout] += im2col(image) * dY^T` for one image's output gradient
    /// `dy [Cout, Ho, Wo]`, bit-identical to the sgemm with beta 1 (zero `dwT` first for
    /// beta 0). `padded` and `dyT` are scratch of `paddedSize(g)` and `Cout Ho Wo` elements.
    static func accumulateWeightGradient(_ image: UnsafePointer<Float>, _ g: ConvGeometry, dy: UnsafePointer<Float>,
                                         outChannels: Int, padded: UnsafeMutablePointer<Float>,
                                         dyT: UnsafeMutablePointer<Float>, into dwT: UnsafeMutablePointer<Float>) {
        pad(image, g, into: padded)
        dr_transpose(dy, Int32(outChannels), Int32(g.outPixels), dyT)
        dr_conv_weight_gradient_direct(padded, Int32(g.channels), Int32(g.height + 2 * g.padding),
                                       Int32(g.width + 2 * g.padding), Int32(g.kernelH), dyT, Int32(outChannels),
                                       Int32(g.outHeight), Int32(g.outWidth), Int32(sgemmBlockQ),
                                       Int32(sgemmUnrollM), dwT)
    }

    private static func pad(_ image: UnsafePointer<Float>, _ g: ConvGeometry, into padded: UnsafeMutablePointer<Float>) {
        dr_pad_image(image, Int32(g.channels), Int32(g.height), Int32(g.width), Int32(g.padding), padded)
    }
}
