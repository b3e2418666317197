import Foundation

/// One family's silhouette at one shape parameter, as a signed distance d(x, y) in the
/// unit frame (negative inside, positive outside). The distance is exact or a close
/// approximation near the boundary, which is all the renderer needs: it turns d into
/// anti-aliased coverage `clamp(0.5 - d * pixelsPerUnit, 0, 1)` (analytic coverage of a
/// locally straight edge) and draws the outline band where -stroke < d < 0.
///
/// Polar curves (blob, gear) use d = (rho - R(t)) / sqrt(1 + (R'(t) / max(rho, 0.5))^2), the
/// first-order distance to the curve; the clamp keeps it from collapsing near the centre,
/// where it is far from the boundary anyway.
///
/// Everything that depends only on s (polygon vertices, radii) is computed once in `init`.
struct SyntheticShape {
    let family: SyntheticFamily
    /// Family-specific numbers derived from s (see `SyntheticFamily`'s table).
    private var a: Float = 0, b: Float = 0, c: Float = 0
    /// Closed polygon (star, arrow) or the spiral's two end points: xs[i], ys[i].
    private var xs: [Float] = [], ys: [Float] = []

    /// The largest |(x, y)| of the silhouette: pixels farther out are background.
    static let extent: Float = 1.06

    init(family: SyntheticFamily, shape s: Float) {
        self.family = family
        switch family {
        case .star:
            let inner = 0.35 + 0.45 * s
            for i in 0..<10 {
                let angle = Float(i) * .pi / 5 - .pi / 2
                let radius: Float = i % 2 == 0 ? 1 : inner
                xs.append(radius * cos(angle)); ys.append(radius * sin(angle))
            }
        case .cRing:
            let halfGap = (10 + 50 * s) * .pi / 180
            a = cos(halfGap); b = sin(halfGap)
        case .cross:
            a = 0.12 + 0.2 * s
        case .crescent:
            a = 0.25 + 0.45 * s
        case .blob:
            a = 0.04 + 0.2 * s
        case .arrow:
            let headStart = 1 - (0.3 + 0.4 * s), shaft: Float = 0.16, head: Float = 0.5
            xs = [-1, headStart, headStart, 1, headStart, headStart, -1]
            ys = [-shaft, -shaft, -head, 0, head, shaft, shaft]
        case .spiral:
            let turns = 1.25 + 1.0 * s
            a = .pi / 2                               // first angle of the centre curve
            b = a + 2 * .pi * turns                   // last angle
            c = 0.88 / b                              // radius = c * angle
            xs = [c * a * cos(a), c * b * cos(b)]     // the two ends of the centre curve
            ys = [c * a * sin(a), c * b * sin(b)]
        case .lattice:
            a = 0.06 + 0.08 * s
        case .gear:
            a = 0.08 + 0.16 * s
        case .wave:
            a = 0.12 + 0.3 * s
        }
    }

    /// Signed distance at (x, y) in the unit frame.
    @inline(__always)
    func distance(_ x: Float, _ y: Float) -> Float {
        switch family {
        case .star, .arrow:
            return polygonDistance(x, y)
        case .cRing:
            let ring = abs((x * x + y * y).squareRoot() - 0.72) - 0.24
            // The gap is the wedge |angle| < halfGap around +x: the intersection of two half-planes.
            let wedge = max(y * a - x * b, -(y * a + x * b))
            return max(ring, -wedge)
        case .cross:
            return min(boxDistance(x, y, 1, a), boxDistance(x, y, a, 1))
        case .crescent:
            let dx = x - a
            return max((x * x + y * y).squareRoot() - 1, 0.9 - (dx * dx + y * y).squareRoot())
        case .blob:
            // Polar curve R(t); cos/sin of 2t and 3t from cos t, sin t (no trigonometry per pixel).
            let rho = max((x * x + y * y).squareRoot(), 1e-6)
            let ct = x / rho, st = y / rho
            let c2 = ct * ct - st * st, s2 = 2 * st * ct
            let c3 = ct * (4 * ct * ct - 3), s3 = st * (3 - 4 * st * st)
            let cos1: Float = 0.540_302_3, sin1: Float = 0.841_471
            let c2p1 = c2 * cos1 - s2 * sin1, s2p1 = s2 * cos1 + c2 * sin1
            let radius = 0.78 + a * (0.6 * c3 + 0.4 * c2p1)
            let slope = -a * (1.8 * s3 + 0.8 * s2p1)
            return (rho - radius) / (1 + (slope / max(rho, 0.5)) * (slope / max(rho, 0.5))).squareRoot()
        case .spiral:
            return spiralDistance(x, y)
        case .lattice:
            let plate = boxDistance(x, y, 0.75, 0.75)
            let hx = min(max((x / 0.5).rounded(), -1), 1) * 0.5
            let hy = min(max((y / 0.5).rounded(), -1), 1) * 0.5
            let hole = ((x - hx) * (x - hx) + (y - hy) * (y - hy)).squareRoot() - a
            return max(plate, -hole)
        case .gear:
            let rho = max((x * x + y * y).squareRoot(), 1e-6)
            var ct = x / rho, st = y / rho
            for _ in 0..<3 { (ct, st) = (ct * ct - st * st, 2 * st * ct) }   // cos 8t, sin 8t
            let raw = 1.5 * ct
            let tooth = 0.5 + 0.5 * min(max(raw, -1), 1)
            let slope = abs(raw) < 1 ? -a * 0.5 * 1.5 * 8 * st : 0
            let outer = (rho - (0.8 + a * tooth)) / (1 + (slope / max(rho, 0.5)) * (slope / max(rho, 0.5))).squareRoot()
            return max(outer, 0.22 - rho)
        case .wave:
            let k: Float = 2 * .pi / 1.2
            let slope = a * k * cos(k * x)
            let band = abs(y - a * sin(k * x)) / (1 + slope * slope).squareRoot() - 0.16
            return max(band, abs(x) - 0.85)
        }
    }

    /// Exact distance to the axis-aligned box |x| <= hx, |y| <= hy.
    @inline(__always)
    private func boxDistance(_ x: Float, _ y: Float, _ hx: Float, _ hy: Float) -> Float {
        let qx = abs(x) - hx, qy = abs(y) - hy
        let outside = (max(qx, 0) * max(qx, 0) + max(qy, 0) * max(qy, 0)).squareRoot()
        return outside + min(max(qx, qy), 0)
    }

    /// Exact distance to a closed polygon: the nearest edge gives |d|, the crossing number
    /// the sign (Inigo Quilez's formulation).
    private func polygonDistance(_ x: Float, _ y: Float) -> Float {
        let n = xs.count
        var best = Float.greatestFiniteMagnitude
        var inside = false
        var j = n - 1
        for i in 0..<n {
            let ex = xs[j] - xs[i], ey = ys[j] - ys[i]
            let wx = x - xs[i], wy = y - ys[i]
            let t = min(max((wx * ex + wy * ey) / (ex * ex + ey * ey), 0), 1)
            let bx = wx - ex * t, by = wy - ey * t
            best = min(best, bx * bx + by * by)
            if (ys[i] > y) != (ys[j] > y) && x < xs[i] + (y - ys[i]) * ex / ey { inside.toggle() }
            j = i
        }
        return inside ? -best.squareRoot() : best.squareRoot()
    }

    /// Distance to a thick Archimedean spiral band: centre curve radius = c * angle for
    /// angle in [a, b], half-width 0.3 of the spacing between turns, round ends. The radial
    /// gap to each turn stands in for the distance (the curve is nearly circular locally).
    private func spiralDistance(_ x: Float, _ y: Float) -> Float {
        let rho = (x * x + y * y).squareRoot()
        var angle = atan2(y, x)
        if angle < 0 { angle += 2 * .pi }
        var best = Float.greatestFiniteMagnitude
        while angle <= b {
            if angle >= a { best = min(best, abs(rho - c * angle)) }
            angle += 2 * .pi
        }
        for end in 0..<2 {
            let ex = x - xs[end], ey = y - ys[end]
            best = min(best, (ex * ex + ey * ey).squareRoot())
        }
        return best - 0.3 * 2 * .pi * c
    }
}
