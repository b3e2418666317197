/// Small vectorised loops shared by the layers. Each reduction uses a fixed lane layout
/// and a fixed order, so its result depends only on the data, never on threads.
public enum VectorOps {
    /// Sum of `count` floats: 16 lane-wise partial sums, then the lanes in order, then the tail.
    @inlinable public static func sum(_ p: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD16<Float>()
        var i = 0
        while i + 16 <= count {
            acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
            i += 16
        }
        var total = acc.sum()
        while i < count { total += p[i]; i += 1 }
        return total
    }

    /// `p[i] = max(p[i], 0)`.
    @inlinable public static func reluInPlace(_ p: UnsafeMutablePointer<Float>, count: Int) {
        let zero = SIMD16<Float>()
        var i = 0
        while i + 16 <= count {
            let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(p + i).storeBytes(of: v.replacing(with: zero, where: v .< zero), as: SIMD16<Float>.self)
            i += 16
        }
        while i < count { p[i] = max(p[i], 0); i += 1 }
    }

    /// `out[i] = y[i] > 0 ? g[i] : 0`: a gradient through a ReLU whose output was `y`.
    @inlinable public static func reluGradient(_ g: UnsafePointer<Float>, output y: UnsafePointer<Float>,
                                               into out: UnsafeMutablePointer<Float>, count: Int) {
        let zero = SIMD16<Float>()
        var i = 0
        while i + 16 <= count {
            let gv = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD16<Float>.self)
            let yv = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(out + i).storeBytes(of: gv.replacing(with: zero, where: yv .<= zero),
                                                        as: SIMD16<Float>.self)
            i += 16
        }
        while i < count { out[i] = y[i] > 0 ? g[i] : 0; i += 1 }
    }

    /// `p[i] += bias`, then `max(p[i], 0)` when `relu`: a convolution's epilogue in one pass.
    @inlinable public static func addBias(_ bias: Float, to p: UnsafeMutablePointer<Float>, count: Int, relu: Bool) {
        let b = SIMD16<Float>(repeating: bias), zero = SIMD16<Float>()
        var i = 0
        while i + 16 <= count {
            var v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self) + b
            if relu { v.replace(with: zero, where: v .< zero) }
            UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count {
            let v = p[i] + bias
            p[i] = relu ? max(v, 0) : v
            i += 1
        }
    }
}
