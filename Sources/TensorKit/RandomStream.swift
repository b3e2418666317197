/// A reproducible stream of random numbers: xoshiro256** (Blackman and Vigna), seeded
/// through SplitMix64 from the run's root seed and a stable name.
///
/// Every random consumer (initialisation, dropout, sampling, augmentation, data generation,
/// splits) draws from its own stream, derived from the root seed and a name such as
/// `"init/deep.conv1.weight"` or `"dropout/deep.fc"`, never from call order (README,
/// "Determinism"). Two streams with different names are independent; the same seed and
/// name always give the same numbers on every machine.
public struct RandomStream: RandomNumberGenerator, Equatable {
    /// The generator's four state words; saving and restoring them resumes the stream.
    @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)

    /// The stream named `name` under the root seed `seed`.
    public init(seed: UInt64, name: String) {
        var mixer = seed ^ RandomStream.fnv1a(name)
        func next() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    /// Restores a stream from saved state words (see `state`).
    public init(state: [UInt64]) {
        precondition(state.count == 4 && state.contains { $0 != 0 }, "invalid xoshiro256 state")
        self.state = (state[0], state[1], state[2], state[3])
    }

    /// The state as an array (for run files).
    public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

    public static func == (a: RandomStream, b: RandomStream) -> Bool { a.stateWords == b.stateWords }

    /// 64-bit FNV-1a of the UTF-8 bytes: a hash that, unlike `Hasher`, is stable across runs.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    @inlinable public mutating func next() -> UInt64 {
        let result = RandomStream.rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = RandomStream.rotl(state.3, 45)
        return result
    }

    @inlinable static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1) with 24 random bits (every value exactly representable in Float).
    @inlinable public mutating func nextUniformFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable public mutating func nextUniform() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform in [low, high).
    @inlinable public mutating func nextUniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * nextUniformFloat()
    }

    /// Standard normal by the Box-Muller transform (one value per call, for simplicity
    /// and so that the stream position does not depend on a cached second value).
    public mutating func nextNormal() -> Double {
        var u = nextUniform()
        while u <= 0 { u = nextUniform() }
        let v = nextUniform()
        return (-2 * _log(u)).squareRoot() * _cos(2 * Double.pi * v)
    }

    /// Uniform integer in 0..<bound without modulo bias (Lemire's multiply-and-reject
    /// method, written out here rather than taken from the standard library, so that the
    /// numbers cannot change with the Swift version).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// Shuffles `array` in place (Fisher-Yates from the last element down, drawing with
    /// `nextInt(below:)`); the same stream state always gives the same order.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, nextInt(below: i + 1))
        }
    }

    /// True with probability `p`.
    @inlinable public mutating func nextBernoulli(_ p: Double) -> Bool { nextUniform() < p }
}

/// The root of a run's randomness: hands out named streams.
public struct RandomStreams {
    /// The run's root seed.
    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// The stream for a consumer named `name`.
    public func stream(_ name: String) -> RandomStream { RandomStream(seed: seed, name: name) }

    /// An independent family of streams for a sub-component (a method of an experiment,
    /// say), so two components can use the same stream names without sharing numbers:
    /// its root seed is the first number of the stream `child/<name>`.
    public func child(_ name: String) -> RandomStreams {
        var s = RandomStream(seed: seed, name: "child/" + name)
        return RandomStreams(seed: s.next())
    }
}

import Foundation

@usableFromInline func _log(_ x: Double) -> Double { Foundation.log(x) }
@usableFromInline func _cos(_ x: Double) -> Double { Foundation.cos(x) }
