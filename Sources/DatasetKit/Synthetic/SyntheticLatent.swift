import Foundation
import TensorKit

/// One continuous within-category factor of the `synthetic` generator. Each is a value in
/// [0, 1] that the renderer maps to something visible in every shape family (README.md,
/// "Latent factors").
public enum LatentFactor: String, Codable, Equatable, Sendable, CaseIterable {
    /// The family's own shape parameter (star spikiness, gap angle, arm width, ...).
    case shape
    /// Rotation over half the family's symmetry period (so linear and circular distance agree).
    case pose
    /// Shape radius, 0.26 to 0.40 of the image size.
    case scale
    /// Width of the pale outline band inside the silhouette, 0.04 to 0.16 shape radii times
    /// the family's `strokeScale`.
    case stroke
    /// Frequency of the fill stripes, 1 to 3 cycles per shape radius (fixed to the shape,
    /// so they turn with the pose).
    case texture
    /// Foreground hue, 0 to 0.75 of the colour wheel (red to violet, no wrap-around).
    case hue
}

/// The latent vector z of one image: one value in [0, 1] per `LatentFactor`, in
/// `LatentFactor.allCases` order.
public struct SyntheticLatent: Equatable, Sendable {
    public var values: [Float]

    public init(values: [Float]) {
        precondition(values.count == LatentFactor.allCases.count, "a latent has \(LatentFactor.allCases.count) values")
        self.values = values
    }

    public subscript(_ factor: LatentFactor) -> Float {
        values[LatentFactor.allCases.firstIndex(of: factor)!]
    }

    /// Draws z for member `member` of `family` from the stream
    /// `synthetic/latent/<family>/<member>`: six uniform values in factor order, always all
    /// six (so switching a factor off does not move the others); a factor not in `varying`
    /// is then set to 0.5.
    public init(seed: UInt64, family: SyntheticFamily, member: Int, varying: [LatentFactor]) {
        var stream = RandomStream(seed: seed, name: "synthetic/latent/\(family.rawValue)/\(member)")
        var z = [Float]()
        for factor in LatentFactor.allCases {
            let u = stream.nextUniformFloat()
            z.append(varying.contains(factor) ? u : 0.5)
        }
        self.init(values: z)
    }

    /// Graded relevance inside a category (the paper's r(i, j)):
    /// r = exp(-sum_f (w_f (z_f - z'_f))^2 / (2 sigma^2)), in (0, 1], 1 iff the weighted
    /// latents agree, decreasing in every |z_f - z'_f| with w_f > 0.
    public func relevance(to other: SyntheticLatent, weights: [Float], bandwidth sigma: Float) -> Float {
        var d2: Float = 0
        for f in 0..<values.count {
            let t = weights[f] * (values[f] - other.values[f])
            d2 += t * t
        }
        return Foundation.exp(-d2 / (2 * sigma * sigma))
    }
}
