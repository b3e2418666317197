import DatasetKit
import Yams

/// The `input` keys of the training augmentations beyond the paper: `resized_crop` and
/// `colour_jitter`. Both are off when absent, null or false.
extension SpecParser {
    /// `resized_crop`: `true` or `{}` for torchvision's defaults, or `{scale: [a, b],
    /// ratio: [r0, r1]}`.
    static func parseResizedCrop(_ input: SpecMapping) throws -> RandomResizedCrop? {
        guard let settings = try switchedMapping(input, "resized_crop", allowed: ["scale", "ratio"]) else { return nil }
        func range(_ key: String, _ fallback: ClosedRange<Double>, _ allowed: String,
                   _ valid: @escaping (Double) -> Bool) throws -> ClosedRange<Double> {
            guard let value = settings.optional(key) else { return fallback }
            let items = try value.list()
            guard items.count == 2 else {
                throw value.error("\(items.count) values given", allowed: "two numbers [lower, upper]")
            }
            let bounds = try items.map { try $0.double(allowed: allowed, where: valid) }
            guard bounds[0] <= bounds[1] else {
                throw value.error("the lower bound \(bounds[0]) is above the upper bound \(bounds[1])",
                                  allowed: "[lower, upper] with lower <= upper")
            }
            return bounds[0]...bounds[1]
        }
        let scale = try range("scale", SpecDefaults.resizedCropScale,
                              "a fraction of the area in (0, 1]") { $0 > 0 && $0 <= 1 }
        let ratio = try range("ratio", SpecDefaults.resizedCropRatio, "a width / height ratio > 0") { $0 > 0 && $0.isFinite }
        return try surfacing(settings) { try RandomResizedCrop(scale: scale, ratio: ratio) }
    }

    /// `colour_jitter`: `{brightness, contrast, saturation, hue}`, each a strength >= 0
    /// (hue <= 0.5), 0 when absent; all 0 is off.
    static func parseColourJitter(_ input: SpecMapping) throws -> ColourJitter? {
        guard let settings = try switchedMapping(input, "colour_jitter",
                                                 allowed: ["brightness", "contrast", "saturation", "hue"]) else {
            return nil
        }
        func strength(_ key: String, _ allowed: String = "a number >= 0",
                      _ valid: @escaping (Double) -> Bool = { $0 >= 0 }) throws -> Double {
            try settings.double(key, default: SpecDefaults.colourJitterStrength, allowed: allowed, where: valid)
        }
        let jitter = try surfacing(settings) {
            try ColourJitter(brightness: try strength("brightness"), contrast: try strength("contrast"),
                             saturation: try strength("saturation"),
                             hue: try strength("hue", "a number in [0, 0.5]") { (0...0.5).contains($0) })
        }
        return jitter.isIdentity ? nil : jitter
    }

    /// An optional recipe's settings: nil when `key` is absent, null or false; an empty
    /// mapping for `true`; else the mapping, checked against `allowed`.
    static func switchedMapping(_ map: SpecMapping, _ key: String, allowed: [String]) throws -> SpecMapping? {
        guard let value = map.optional(key) else { return nil }
        if case .mapping = value.node { return try value.mapping(allowed: allowed) }
        guard case .scalar = value.node, let on = try? value.bool() else {
            throw value.error("expected true, false or a mapping, got \(value.described)",
                              allowed: "false (off), true (the defaults), or a mapping of "
                                  + allowed.joined(separator: ", "))
        }
        guard on else { return nil }
        return try value.child(Node([] as [(Node, Node)]), keyPath: value.keyPath).mapping(allowed: allowed)
    }
}
