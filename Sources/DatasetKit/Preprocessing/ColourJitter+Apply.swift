import Foundation

extension ColourJitterDraw {
    /// torchvision's luma weights (`rgb_to_grayscale`).
    static let luma: (r: Float, g: Float, b: Float) = (0.2989, 0.587, 0.114)

    /// Applies the steps in order, in place, to the image `[channels, height, width]` at
    /// `pixels` (values in [0, 1]; formulas in `ColourJitter`). Allocates nothing. The
    /// contrast's mean is summed in Double in pixel order. Precondition: 1 or 3 channels.
    func apply(to pixels: UnsafeMutablePointer<Float>, channels: Int, height: Int, width: Int) {
        precondition(channels == 1 || channels == 3, "colour jitter needs 1 or 3 channels, got \(channels)")
        let plane = height * width, count = channels * plane
        for step in steps {
            let f = step.factor
            switch step.operation {
            case .brightness:
                for i in 0..<count { pixels[i] = Self.blend(pixels[i], 0, f) }
            case .contrast:
                var sum = 0.0
                for i in 0..<plane { sum += Double(gray(pixels, i, channels: channels, plane: plane)) }
                let mean = Float(sum / Double(plane))
                for i in 0..<count { pixels[i] = Self.blend(pixels[i], mean, f) }
            case .saturation:
                guard channels == 3 else { continue }
                for i in 0..<plane {
                    let g = gray(pixels, i, channels: channels, plane: plane)
                    for c in 0..<3 { pixels[c * plane + i] = Self.blend(pixels[c * plane + i], g, f) }
                }
            case .hue:
                guard channels == 3 else { continue }
                for i in 0..<plane { Self.rotateHue(pixels + i, plane: plane, by: f) }
            }
        }
    }

    /// `clamp(f * a + (1 - f) * b, 0, 1)` (torchvision's `_blend`).
    static func blend(_ a: Float, _ b: Float, _ f: Float) -> Float {
        min(max(f * a + (1 - f) * b, 0), 1)
    }

    /// The grey value of pixel `i`: the luma of RGB, or the one channel.
    func gray(_ pixels: UnsafeMutablePointer<Float>, _ i: Int, channels: Int, plane: Int) -> Float {
        guard channels == 3 else { return pixels[i] }
        return Self.luma.r * pixels[i] + Self.luma.g * pixels[plane + i] + Self.luma.b * pixels[2 * plane + i]
    }

    /// One pixel (`r` at `pixel`, `g` and `b` a plane apart): RGB to HSV, hue shifted by
    /// `shift` modulo 1, back to RGB, as torchvision's `_rgb2hsv` / `_hsv2rgb`.
    static func rotateHue(_ pixel: UnsafeMutablePointer<Float>, plane: Int, by shift: Float) {
        let r = pixel[0], g = pixel[plane], b = pixel[2 * plane]
        let maxc = max(r, g, b), minc = min(r, g, b)
        let equal = maxc == minc
        let cr = maxc - minc
        let s = cr / (equal ? 1 : maxc)
        let divisor = equal ? 1 : cr
        let rc = (maxc - r) / divisor, gc = (maxc - g) / divisor, bc = (maxc - b) / divisor
        var h: Float
        if maxc == r {
            h = bc - gc
        } else if maxc == g {
            h = 2 + rc - bc
        } else {
            h = 4 + gc - rc
        }
        h = fmodf(h / 6 + 1, 1)
        h += shift
        h -= floorf(h)  // Python's `%` by 1: the result is in [0, 1)
        let v = maxc
        let sector = floorf(h * 6)
        let fraction = h * 6 - sector
        let p = min(max(v * (1 - s), 0), 1)
        let q = min(max(v * (1 - s * fraction), 0), 1)
        let t = min(max(v * (1 - s * (1 - fraction)), 0), 1)
        let rgb: (Float, Float, Float)
        switch ((Int(sector) % 6) + 6) % 6 {
        case 0: rgb = (v, t, p)
        case 1: rgb = (q, v, p)
        case 2: rgb = (p, v, t)
        case 3: rgb = (p, q, v)
        case 4: rgb = (t, p, v)
        default: rgb = (v, p, q)
        }
        pixel[0] = rgb.0; pixel[plane] = rgb.1; pixel[2 * plane] = rgb.2
    }
}
