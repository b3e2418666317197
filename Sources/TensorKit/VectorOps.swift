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
}
