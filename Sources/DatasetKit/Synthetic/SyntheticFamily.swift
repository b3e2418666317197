/// The shape families of the `synthetic` dataset, one per category, in category order:
/// category c of a dataset with `categories = n` is `allCases[c]` (c < n).
///
/// Every family is a filled silhouette in a unit frame (it fits in radius 1.06 around the
/// origin) with its own continuous shape parameter s in [0, 1] (`LatentFactor.shape`):
///
/// | family | silhouette | s controls | symmetry period |
/// |---|---|---|---|
/// | star | 5-pointed star polygon | inner radius 0.35 + 0.45 s (spiky to pentagon-like) | 72 deg |
/// | c-ring | thick ring with a gap (Landolt C) | gap angle 20 + 100 s deg | 360 deg |
/// | cross | plus sign, arm length 1 | arm half-width 0.12 + 0.2 s | 90 deg |
/// | crescent | disc minus an offset disc of radius 0.9 | offset 0.25 + 0.45 s (thin to fat) | 360 deg |
/// | blob | smooth closed curve, radius 0.78 + a (0.6 cos 3t + 0.4 cos(2t + 1)) | lumpiness a = 0.04 + 0.2 s | 360 deg |
/// | arrow | shaft and triangular head | head length 0.3 + 0.4 s | 360 deg |
/// | spiral | thick Archimedean spiral band | turns 1.25 + 1.0 s | 360 deg |
/// | lattice | square plate with a 3 x 3 grid of round holes | hole radius 0.06 + 0.08 s | 90 deg |
/// | gear | 8-toothed wheel with an axle hole | tooth depth 0.08 + 0.16 s | 45 deg |
/// | wave | thick sine band, x in [-0.85, 0.85], period 1.2 | amplitude 0.12 + 0.3 s | 180 deg |
///
/// The pose factor turns a shape by up to half its symmetry period, so that two poses
/// never look alike modulo the symmetry and latent distance is visual distance.
public enum SyntheticFamily: String, Codable, CaseIterable, Sendable {
    case star
    case cRing = "c-ring"
    case cross
    case crescent
    case blob
    case arrow
    case spiral
    case lattice
    case gear
    case wave

    /// Multiplies the outline width (`LatentFactor.stroke`) so that the outline never
    /// swallows a thin silhouette and the fill, with its texture, stays visible: 1 for
    /// solid shapes, about a third of the band half-width for band-like ones.
    public var strokeScale: Float {
        switch self {
        case .star, .blob: return 1
        case .crescent, .gear: return 0.8
        case .cRing: return 0.6
        case .cross, .arrow, .wave: return 0.5
        case .spiral, .lattice: return 0.4
        }
    }

    /// The smallest rotation (radians) that maps the silhouette onto itself.
    public var symmetryPeriod: Float {
        switch self {
        case .star: return 2 * .pi / 5
        case .cross, .lattice: return .pi / 2
        case .gear: return .pi / 4
        case .wave: return .pi
        case .cRing, .crescent, .blob, .arrow, .spiral: return 2 * .pi
        }
    }
}
