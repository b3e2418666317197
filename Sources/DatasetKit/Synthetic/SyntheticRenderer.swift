import Foundation
import TensorKit

/// The rasteriser of the `synthetic` dataset: draws one image from its family, latent z
/// and nuisance stream onto three Float planes `[3, size, size]` in [0, 1]. No files, no
/// state: the same inputs give the same bits.
///
/// Per pixel centre (px + 0.5, py + 0.5):
/// 1. shape frame: (x, y) = R(-pose) * (pixel - centre) / radius, with
///    centre = size / 2 + shift, radius = size * (0.25 + 0.13 z_scale),
///    pose = z_pose * symmetryPeriod / 2;
/// 2. signed distance d = `SyntheticShape.distance(x, y)`; coverage of the silhouette
///    a_out = clamp(0.5 - d * radius, 0, 1) and of the fill a_in = clamp(0.5 - (d + w) * radius, 0, 1)
///    with stroke w = (0.04 + 0.12 z_stroke) * strokeScale (analytic anti-aliasing, no supersampling);
/// 3. colour = background * (1 - a_out) + outline * (a_out - a_in) + fill * t * a_in, where
///    t = 1 - 0.45 * (0.5 + 0.5 sin(2 pi f (x cos 0.5 + y sin 0.5))) are stripes fixed to
///    the shape, f = 1 + 2 z_texture cycles per unit radius;
///    fill = HSV(h, 0.75, fillValue), outline = HSV(h, 0.2, 1), h = 0.75 z_hue,
///    background = HSV(h + backgroundHueOffset, saturation, value) * gradient;
/// 4. `grayscale` mode: luminance 0.299 R + 0.587 G + 0.114 B in all three planes;
/// 5. noise: sigma * sqrt(3) * (u1 + u2 + u3 + u4 - 2), four 16-bit uniforms from one
///    64-bit draw of the nuisance stream per pixel and plane (row-major pixels, planes R,
///    G, B innermost; one draw per pixel in grayscale), an approximately Gaussian value
///    with standard deviation sigma; then clamp to [0, 1].
enum SyntheticRenderer {
    static let stripeContrast: Float = 0.45
    static let stripeAngle: Float = 0.5

    static func render(family: SyntheticFamily, latent z: SyntheticLatent, config: SyntheticConfig,
                       nuisanceStream stream: inout RandomStream) -> PlanarImage {
        let nuisance = SyntheticNuisance(stream: &stream, config: config)
        let size = config.imageSize
        let side = Float(size)
        let shape = SyntheticShape(family: family, shape: z[.shape])
        let radius = side * (0.25 + 0.13 * z[.scale])
        let pose = z[.pose] * family.symmetryPeriod / 2
        let cosPose = cos(pose), sinPose = sin(pose)
        let stroke = (0.04 + 0.12 * z[.stroke]) * family.strokeScale
        let frequency = 2 * Float.pi * (1 + 2 * z[.texture])
        let stripeX = cos(stripeAngle) * frequency, stripeY = sin(stripeAngle) * frequency
        let hue = 0.75 * z[.hue]
        let fill = hsv(hue, 0.75, nuisance.fillValue)
        let outline = hsv(hue, 0.2, 1)
        let background = hsv(hue + nuisance.backgroundHueOffset, nuisance.backgroundSaturation, nuisance.backgroundValue)
        let gradientX = cos(nuisance.gradientAngle) * nuisance.gradientStrength / (side / 2)
        let gradientY = sin(nuisance.gradientAngle) * nuisance.gradientStrength / (side / 2)
        let centreX = side / 2 + nuisance.shiftX, centreY = side / 2 + nuisance.shiftY
        let unitsPerPixel = 1 / radius
        let cull = (SyntheticShape.extent + unitsPerPixel) * (SyntheticShape.extent + unitsPerPixel)
        let plane = size * size
        let grayscale = config.colourMode == .grayscale

        var pixels = [Float](repeating: 0, count: 3 * plane)
        pixels.withUnsafeMutableBufferPointer { out in
            for py in 0..<size {
                let fy = Float(py) + 0.5
                for px in 0..<size {
                    let fx = Float(px) + 0.5
                    let gradient = 1 + gradientX * (fx - side / 2) + gradientY * (fy - side / 2)
                    var r = background.0 * gradient, g = background.1 * gradient, b = background.2 * gradient
                    let dx = (fx - centreX) * unitsPerPixel, dy = (fy - centreY) * unitsPerPixel
                    if dx * dx + dy * dy <= cull {
                        let x = cosPose * dx + sinPose * dy, y = cosPose * dy - sinPose * dx
                        let d = shape.distance(x, y)
                        let aOut = min(max(0.5 - d * radius, 0), 1)
                        if aOut > 0 {
                            let aIn = min(max(0.5 - (d + stroke) * radius, 0), 1)
                            let t = aIn > 0 ? 1 - stripeContrast * (0.5 + 0.5 * sin(stripeX * x + stripeY * y)) : 0
                            let aOutline = aOut - aIn, aFill = aIn * t, aBack = 1 - aOut
                            r = r * aBack + outline.0 * aOutline + fill.0 * aFill
                            g = g * aBack + outline.1 * aOutline + fill.1 * aFill
                            b = b * aBack + outline.2 * aOutline + fill.2 * aFill
                        }
                    }
                    let i = py * size + px
                    if grayscale {
                        let luminance = 0.299 * r + 0.587 * g + 0.114 * b
                        r = luminance; g = luminance; b = luminance
                    }
                    out[i] = r; out[plane + i] = g; out[2 * plane + i] = b
                }
            }
            addNoise(to: out, plane: plane, sigma: config.noiseSigma, sharedAcrossPlanes: grayscale, stream: &stream)
        }
        return PlanarImage(channels: 3, height: size, width: size, pixels: pixels)
    }

    /// Adds the approximately Gaussian pixel noise (step 5) and clamps to [0, 1].
    private static func addNoise(to out: UnsafeMutableBufferPointer<Float>, plane: Int, sigma: Float,
                                 sharedAcrossPlanes: Bool, stream: inout RandomStream) {
        let scale = sigma * Float(3).squareRoot() / 65536
        @inline(__always) func draw() -> Float {
            guard sigma > 0 else { return 0 }
            let bits = stream.next()
            let sum = Float(bits & 0xFFFF) + Float((bits >> 16) & 0xFFFF)
                + Float((bits >> 32) & 0xFFFF) + Float(bits >> 48)
            return (sum - 2 * 65536 + 2) * scale          // four uniforms (k + 0.5) / 65536
        }
        for i in 0..<plane {
            if sharedAcrossPlanes {
                let n = draw()
                for c in 0..<3 { out[c * plane + i] = min(max(out[c * plane + i] + n, 0), 1) }
            } else {
                for c in 0..<3 { out[c * plane + i] = min(max(out[c * plane + i] + draw(), 0), 1) }
            }
        }
    }

    /// HSV to RGB, h in turns (any real, taken mod 1), s and v in [0, 1].
    static func hsv(_ h: Float, _ s: Float, _ v: Float) -> (Float, Float, Float) {
        let turns = h - h.rounded(.down)
        func channel(_ n: Float) -> Float {
            let k = (n + turns * 6).truncatingRemainder(dividingBy: 6)
            return v - v * s * max(0, min(k, 4 - k, 1))
        }
        return (channel(5), channel(3), channel(1))
    }
}
