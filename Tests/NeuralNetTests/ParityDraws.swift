import NeuralNet
import TensorKit

/// The counter-based draws of `Tests/Reference/make_network_parity_fixtures.py`, made again
/// bit for bit: the fixture's networks are too large to store, so both sides make their
/// parameters, images and dropout masks from names.
///
///     h_i = mix(fnv1a64(name) + (i + 1) * 0x9E3779B97F4A7C15)   (SplitMix64's mix, mod 2^64)
///     u_i = (h_i >> 40) * 2^-24                                  uniform in [0, 1), exact
///     symmetric: Float((2 u_i - 1) * bound), in Double, rounded once
///     mask:      1 if u_i < keep else 0
enum ParityDraws {
    static func fnv1a64(_ name: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return h
    }

    /// `u_i` for `i` in `0..<count`.
    static func unitUniform(_ name: String, count: Int) -> [Double] {
        let base = fnv1a64(name)
        return (0..<count).map { i in
            var z = base &+ UInt64(i + 1) &* 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Double(z >> 40) * 0x1p-24
        }
    }

    /// Values in `[-bound, bound)` of `shape`.
    static func symmetric(_ name: String, shape: [Int], bound: Double) -> Tensor {
        let u = unitUniform(name, count: shape.reduce(1, *))
        return Tensor(shape: shape, values: u.map { Float((2 * $0 - 1) * bound) })
    }

    /// A dropout mask of `shape`: 1 where `u_i < keep`, else 0.
    static func mask(_ name: String, shape: [Int], keep: Double) -> Tensor {
        Tensor(shape: shape, values: unitUniform(name, count: shape.reduce(1, *)).map { $0 < keep ? 1 : 0 })
    }

    /// Every parameter of `store` drawn from its own name, bounded by `1 / sqrt(fan_in)`
    /// (PyTorch's default initialiser's bound; a bias takes its layer's weight's fan-in).
    static func drawParameters(into store: ParameterStore) {
        let fanIns = Dictionary(uniqueKeysWithValues: store.parameters.filter { $0.name.hasSuffix(".weight") }.map {
            (String($0.name.dropLast(".weight".count)), $0.shape.dropFirst().reduce(1, *))
        })
        for parameter in store.parameters {
            let layer = String(parameter.name[..<parameter.name.lastIndex(of: ".")!])
            let bound = 1 / Double(fanIns[layer]!).squareRoot()
            parameter.value.copy(from: symmetric(parameter.name, shape: parameter.shape, bound: bound))
        }
    }
}
