import Foundation
import TensorKit

/// The nuisance variables of one `synthetic` image: they change pixels but not relevance.
/// Drawn, in this order, from the stream `synthetic/nuisance/<family>/<member>`, which then
/// goes on to supply the pixel noise (see `SyntheticRenderer`).
struct SyntheticNuisance {
    /// Shift of the shape centre in pixels, each uniform in [-maxShift, maxShift] * size.
    var shiftX: Float, shiftY: Float
    /// Background hue = foreground hue + 0.5 + U(-0.2, 0.2), mod 1: never close to the
    /// foreground, and distributed the same way for every category.
    var backgroundHueOffset: Float
    /// Background saturation U(0.25, 0.6) and value (brightness) U(0.15, 0.45).
    var backgroundSaturation: Float, backgroundValue: Float
    /// Direction (radians, U(0, 2 pi)) and strength (U(0, backgroundVariation)) of a linear
    /// brightness gradient: factor 1 + strength * (unit offset from the centre along it).
    var gradientAngle: Float, gradientStrength: Float
    /// Brightness of the fill, U(0.7, 0.9).
    var fillValue: Float

    init(stream: inout RandomStream, config: SyntheticConfig) {
        let shift = config.maxShift * Float(config.imageSize)
        shiftX = stream.nextUniform(-shift, shift)
        shiftY = stream.nextUniform(-shift, shift)
        backgroundHueOffset = 0.5 + stream.nextUniform(-0.2, 0.2)
        backgroundSaturation = stream.nextUniform(0.25, 0.6)
        backgroundValue = stream.nextUniform(0.15, 0.45)
        gradientAngle = stream.nextUniform(0, 2 * .pi)
        gradientStrength = stream.nextUniform(0, 1) * config.backgroundVariation
        fillValue = stream.nextUniform(0.7, 0.9)
    }
}
