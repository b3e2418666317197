/// The distance a hand-crafted feature is compared with. Smaller means more similar. Every
/// form is a sum over components in a fixed order (16 SIMD lanes, then the lanes in order,
/// then the tail), so the result depends only on the two vectors.
///
/// - `l1`: `sum_i |a_i - b_i|`
/// - `l2`: `sqrt(sum_i (a_i - b_i)^2)`, the Euclidean distance
/// - `squaredL2`: `sum_i (a_i - b_i)^2`, the paper's D(P, Q) (same ranking as `l2`)
/// - `chiSquare`: `sum_i (a_i - b_i)^2 / (a_i + b_i)`, with a term whose `a_i + b_i` is 0
///   counting 0 (0/0 = 0); meant for non-negative features such as histograms. (Some
///   texts halve this sum; the ranking is the same.)
public enum FeatureDistance: String, CaseIterable, Codable, Sendable {
    case l1 = "l1"
    case l2 = "l2"
    case squaredL2 = "squared-l2"
    case chiSquare = "chi-square"

    /// The distance between `a` and `b`, both `count` long.
    @inlinable public func callAsFunction(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        switch self {
        case .l1: return FeatureDistance.l1Distance(a, b, count: count)
        case .squaredL2: return FeatureDistance.squaredL2Distance(a, b, count: count)
        case .l2: return FeatureDistance.squaredL2Distance(a, b, count: count).squareRoot()
        case .chiSquare: return FeatureDistance.chiSquareDistance(a, b, count: count)
        }
    }

    /// The distance between two arrays of equal length.
    public func callAsFunction(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "distance between vectors of lengths \(a.count) and \(b.count)")
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in self(pa.baseAddress!, pb.baseAddress!, count: a.count) }
        }
    }

    @inlinable static func load(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD16<Float> {
        UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
    }

    /// `sum_i |a_i - b_i|`.
    @inlinable public static func l1Distance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD16<Float>()
        var i = 0
        while i + 16 <= count {
            let d = load(a, i) - load(b, i)
            acc += d.replacing(with: -d, where: d .< 0)
            i += 16
        }
        var total = acc.sum()
        while i < count { total += abs(a[i] - b[i]); i += 1 }
        return total
    }

    /// `sum_i (a_i - b_i)^2`.
    @inlinable public static func squaredL2Distance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD16<Float>()
        var i = 0
        while i + 16 <= count {
            let d = load(a, i) - load(b, i)
            acc += d * d
            i += 16
        }
        var total = acc.sum()
        while i < count { let d = a[i] - b[i]; total += d * d; i += 1 }
        return total
    }

    /// `sum_i (a_i - b_i)^2 / (a_i + b_i)`, terms with `a_i + b_i = 0` counting 0.
    @inlinable public static func chiSquareDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD16<Float>()
        let zero = SIMD16<Float>(), one = SIMD16<Float>(repeating: 1)
        var i = 0
        while i + 16 <= count {
            let x = load(a, i), y = load(b, i)
            let d = x - y, s = x + y
            let empty = s .== zero
            // Divide by 1 where the sum is 0; d is then 0 too when both are 0.
            let term = (d * d) / s.replacing(with: one, where: empty)
            acc += term.replacing(with: zero, where: empty)
            i += 16
        }
        var total = acc.sum()
        while i < count {
            let d = a[i] - b[i], s = a[i] + b[i]
            if s != 0 { total += d * d / s }
            i += 1
        }
        return total
    }
}
