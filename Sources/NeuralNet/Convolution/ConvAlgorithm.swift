/// How `Conv2D` computes (see `DirectConvolution`).
public enum ConvAlgorithm: Sendable {
    /// The direct kernels where they reproduce im2col + sgemm bit for bit, else im2col + sgemm.
    case automatic
    /// Always im2col + sgemm.
    case im2col
    /// Always the direct kernels (the CPU and the geometry must allow them).
    case direct
}
