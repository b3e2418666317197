import TensorKit

/// The paper's input augmentation, random pixel shifts (README, "The paper in brief"):
/// the image content is translated by `dx` columns (positive: to the right) and `dy` rows
/// (positive: down), keeping the image size:
///
///     shifted[c, y, x] = image[c, y - dy, x - dx]
///
/// The paper does not say how uncovered pixels are filled; `EdgeFill.replicate` (the
/// default) repeats the nearest edge pixel, i.e. the source coordinates are clamped to
/// the image; `EdgeFill.zero` fills them with 0 (black, before normalisation).
public struct PixelShift: Equatable, Sendable {
    public var dx: Int
    public var dy: Int

    public init(dx: Int, dy: Int) { self.dx = dx; self.dy = dy }

    public static let none = PixelShift(dx: 0, dy: 0)

    /// `dx` then `dy`, each uniform over the integers `-maxShift ... maxShift`
    /// (`nextInt(below: 2 * maxShift + 1) - maxShift`). No draw when `maxShift == 0`.
    public static func random(maxShift: Int, stream: inout RandomStream) -> PixelShift {
        precondition(maxShift >= 0, "negative maximum shift")
        guard maxShift > 0 else { return .none }
        let dx = stream.nextInt(below: 2 * maxShift + 1) - maxShift
        let dy = stream.nextInt(below: 2 * maxShift + 1) - maxShift
        return PixelShift(dx: dx, dy: dy)
    }
}

/// How a shift fills the pixels it uncovers.
public enum EdgeFill: String, CaseIterable, Sendable {
    /// The fill when none is given (also the spec's default).
    public static let `default` = EdgeFill.replicate

    /// The nearest edge pixel (source coordinates clamped to the image).
    case replicate
    /// Zero.
    case zero
}

extension PlanarImage {
    /// The image translated by `shift` (see `PixelShift`), same size.
    public func shifted(by shift: PixelShift, fill: EdgeFill = .default) -> PlanarImage {
        var out = self
        for c in 0..<channels {
            for y in 0..<height {
                for x in 0..<width {
                    let sy = y - shift.dy, sx = x - shift.dx
                    if (0..<height).contains(sy) && (0..<width).contains(sx) {
                        out[c, y, x] = self[c, sy, sx]
                    } else if fill == .zero {
                        out[c, y, x] = 0
                    } else {
                        out[c, y, x] = self[c, min(max(sy, 0), height - 1), min(max(sx, 0), width - 1)]
                    }
                }
            }
        }
        return out
    }
}
