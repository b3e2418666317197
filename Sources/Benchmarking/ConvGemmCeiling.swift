import NeuralNet
import TensorKit

/// The GEMMs of one convolution's forward and backward pass alone, without im2col,
/// col2im, bias or ReLU: the rate `Conv2D` would reach if unfolding the images cost
/// nothing, so the ceiling of im2col + `BLAS.sgemm` (the chain kernels) on this layer's shapes.
///
/// Per image, as `Conv2D` calls them with single-threaded OpenBLAS, one image per worker:
/// forward `Y (Cout x HW) = W (Cout x K) * cols (K x HW)`, weight gradient
/// `dW^T (K x Cout) += cols (K x HW) * dY^T`, and, when the layer needs it, the input
/// gradient `dcols (K x HW) = W^T * dY`. Operands are random; only the time counts.
struct ConvGemmCeiling {
    let outChannels: Int
    /// K = Cin * kh * kw.
    let patchSize: Int
    /// HW = Ho * Wo.
    let outPixels: Int
    let images: Int
    let inputGradient: Bool

    /// FLOPs of the GEMMs over the batch (the same count `EngineBenchmark.convCases` uses).
    var flops: Double { Double(inputGradient ? 3 : 2) * 2 * Double(images * outChannels * patchSize * outPixels) }

    /// Median seconds of the batch's GEMMs over `repeats` runs (after one warm-up).
    func seconds(repeats: Int) -> Double {
        let workers = Parallel.threads
        let k = patchSize, hw = outPixels, cout = outChannels
        var stream = RandomStream(seed: 3, name: "bench/gemm-ceiling")
        func random(_ count: Int) -> Tensor {
            let t = Tensor(zeros: [count])
            for i in 0..<count { t[flat: i] = stream.nextUniform(-1, 1) }
            return t
        }
        let w = random(cout * k), dy = random(cout * hw)
        let cols = (0..<workers).map { _ in random(k * hw) }
        let dcols = (0..<workers).map { _ in Tensor(zeros: [k * hw]) }
        let y = (0..<workers).map { _ in Tensor(zeros: [cout * hw]) }
        let dw = (0..<workers).map { _ in Tensor(zeros: [k * cout]) }
        let times = Stopwatch.time(warmup: 1, repeats: repeats) {
            Parallel.forEach(images) { _, worker in
                BLAS.sgemm(m: cout, n: hw, k: k, a: w.pointer, lda: k, b: cols[worker].pointer, ldb: hw,
                           beta: 0, c: y[worker].pointer, ldc: hw)
                BLAS.sgemm(transposeB: true, m: k, n: cout, k: hw, a: cols[worker].pointer, lda: hw,
                           b: dy.pointer, ldb: hw, beta: 1, c: dw[worker].pointer, ldc: cout)
                if self.inputGradient {
                    BLAS.sgemm(transposeA: true, m: k, n: hw, k: cout, a: w.pointer, lda: k, b: dy.pointer, ldb: hw,
                               beta: 0, c: dcols[worker].pointer, ldc: hw)
                }
            }
        }
        return Stopwatch.median(times)
    }
}
