import Foundation
import TensorKit

/// Random brightness, contrast, saturation and hue changes, as torchvision's `ColorJitter`
/// on float images in [0, 1]: an optional training augmentation beyond the paper (off by
/// default; Krizhevsky et al. 2012 and Howard 2013 for colour augmentation).
///
/// A draw (`ColourJitterDraw`) is an order of the four operations (a uniform permutation,
/// as torchvision's `randperm(4)`) and one factor per enabled operation: brightness
/// `U(max(0, 1 - b), 1 + b)`, contrast `U(max(0, 1 - c), 1 + c)`, saturation
/// `U(max(0, 1 - s), 1 + s)`, hue `U(-h, h)`. The operations, torchvision's
/// `adjust_brightness`, `adjust_contrast`, `adjust_saturation`, `adjust_hue` on an image
/// `x` `[C, H, W]` with `blend(a, b, f) = clamp(f * a + (1 - f) * b, 0, 1)` and
/// `gray = 0.2989 r + 0.587 g + 0.114 b`:
/// - brightness: `blend(x, 0, f)`;
/// - contrast: `blend(x, mean(gray(x)), f)`, the mean over the whole image;
/// - saturation: `blend(x, gray(x), f)` per pixel;
/// - hue: to HSV, `h = (h + f) mod 1`, back to RGB (torchvision's `_rgb2hsv`, `_hsv2rgb`).
/// A one-channel image is its own grey; saturation and hue leave it as it is (as
/// torchvision does). Checked against torchvision in `Tests/Fixtures/augmentation-reference.h5`.
///
/// Randomness, from the stream it is given, in this order: the permutation (`shuffle` of
/// `[0, 1, 2, 3]`: 3 `nextInt` draws), then one `nextUniform()` per enabled operation in
/// the order brightness, contrast, saturation, hue.
public struct ColourJitter: Equatable, Sendable {
    /// The four operations, in torchvision's numbering.
    public enum Operation: Int, CaseIterable, Sendable {
        case brightness, contrast, saturation, hue
    }

    /// A strength not given: that operation off (the spec's default too).
    public static let offStrength = 0.0

    public let brightness: Double
    public let contrast: Double
    public let saturation: Double
    public let hue: Double

    /// Throws `PreprocessingError.invalidParameter` unless every strength is finite and
    /// >= 0, and `hue <= 0.5`.
    public init(brightness: Double = Self.offStrength, contrast: Double = Self.offStrength,
                saturation: Double = Self.offStrength, hue: Double = Self.offStrength) throws {
        for (name, value) in [("brightness", brightness), ("contrast", contrast), ("saturation", saturation), ("hue", hue)] {
            guard value.isFinite, value >= 0 else {
                throw PreprocessingError.invalidParameter(name: "colourJitter.\(name)", value: "\(value)",
                                                          reason: "must be finite and >= 0")
            }
        }
        guard hue <= 0.5 else {
            throw PreprocessingError.invalidParameter(name: "colourJitter.hue", value: "\(hue)", reason: "must be <= 0.5")
        }
        self.brightness = brightness; self.contrast = contrast; self.saturation = saturation; self.hue = hue
    }

    /// Whether every strength is 0 (nothing to draw or change).
    public var isIdentity: Bool { brightness == 0 && contrast == 0 && saturation == 0 && hue == 0 }

    /// The range of an operation's factor; nil when it is off.
    func range(of operation: Operation) -> ClosedRange<Double>? {
        switch operation {
        case .brightness: return brightness > 0 ? max(0, 1 - brightness)...(1 + brightness) : nil
        case .contrast: return contrast > 0 ? max(0, 1 - contrast)...(1 + contrast) : nil
        case .saturation: return saturation > 0 ? max(0, 1 - saturation)...(1 + saturation) : nil
        case .hue: return hue > 0 ? -hue...hue : nil
        }
    }

    /// One draw from `stream` (order in the type's documentation).
    public func draw(stream: inout RandomStream) -> ColourJitterDraw {
        var order = Operation.allCases
        stream.shuffle(&order)
        var steps: [ColourJitterDraw.Step] = []
        var factors: [Operation: Float] = [:]
        for operation in Operation.allCases {
            guard let r = range(of: operation) else { continue }
            factors[operation] = Float(r.lowerBound + (r.upperBound - r.lowerBound) * stream.nextUniform())
        }
        for operation in order {
            if let factor = factors[operation] { steps.append(.init(operation: operation, factor: factor)) }
        }
        return ColourJitterDraw(steps: steps)
    }
}

/// The choices of one `ColourJitter` draw: the enabled operations in the order they are
/// applied, each with its factor.
public struct ColourJitterDraw: Equatable, Sendable {
    public struct Step: Equatable, Sendable {
        public var operation: ColourJitter.Operation
        public var factor: Float

        public init(operation: ColourJitter.Operation, factor: Float) {
            self.operation = operation; self.factor = factor
        }
    }

    public var steps: [Step]

    public init(steps: [Step]) { self.steps = steps }
}
