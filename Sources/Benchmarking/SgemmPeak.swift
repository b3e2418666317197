import TensorKit

/// The machine's measured single-precision GEMM peak: the median rate of
/// `cblas_sgemm` on n x n matrices, with OpenBLAS using `threads` threads.
public enum SgemmPeak {
    public static func measure(threads: Int, n: Int = 2048, repeats: Int = 7) -> Double {
        let a = Tensor(zeros: [n, n]), b = Tensor(zeros: [n, n]), c = Tensor(zeros: [n, n])
        var stream = RandomStream(seed: 0, name: "bench/sgemm")
        for i in 0..<a.count { a[flat: i] = stream.nextUniform(-1, 1); b[flat: i] = stream.nextUniform(-1, 1) }
        BLAS.setLibraryThreads(threads)
        defer { BLAS.configureSingleThreaded() }
        let times = Stopwatch.time(warmup: 1, repeats: repeats) {
            BLAS.openBLASSgemm(m: n, n: n, k: n, a: a.pointer, lda: n, b: b.pointer, ldb: n, c: c.pointer, ldc: n)
        }
        return 2 * Double(n) * Double(n) * Double(n) / Stopwatch.median(times) / 1e9
    }
}
