import NeuralNet
import TensorKit
import XCTest

/// Every initialiser, on every parameter of the reference and the paper-sized network,
/// against PyTorch's (`/init` in `Tests/Fixtures/network-parity.h5`: statistics of at
/// least 2^20 draws per parameter): `pytorchDefault` against the layers' own
/// `reset_parameters` (weight and bias U(±1/sqrt(fan_in))), `kaimingNormal` against
/// `kaiming_normal_(mode="fan_in", nonlinearity="relu")` and `xavierUniform` against
/// `xavier_uniform_`, both with zero biases.
///
/// One network's draw is a sample of each distribution. Its mean, standard deviation and
/// fraction of values beyond one standard deviation (uniform 0.423, normal 0.317) must lie
/// within 6 standard errors of PyTorch's; for the uniform ones, the largest |value| within
/// the bound PyTorch reaches and close to it. Drawing with the fan-out in place of the
/// fan-in (or a normal in place of a uniform) fails.
final class InitializerParityTests: XCTestCase {
    static let standardErrors = 6.0

    func testReferenceNetwork() throws { try check(.reference, preset: "reference") }

    func testPaperSizedNetwork() throws { try check(.paperSized, preset: "paper-sized") }

    func check(_ config: MultiScaleConfig, preset: String) throws {
        let fixture = try TorchFixture.networkParity()
        let initializers: [(String, Initializer)] = [("pytorchDefault", .pytorchDefault),
                                                     ("kaimingNormal", .kaimingNormal),
                                                     ("xavierUniform", .xavierUniform)]
        for (name, initializer) in initializers {
            let network = MultiScaleNetwork(config: config, streams: RandomStreams(seed: 7), initializer: initializer)
            for parameter in network.store.parameters {
                let group = "init/\(preset)/\(name)/\(parameter.name)"
                let reference = try Self.reference(fixture, group)
                let problems = Self.problems(Statistics(parameter.value), against: reference,
                                             uniform: initializer != .kaimingNormal)
                XCTAssertEqual(problems, [], "\(group)")
            }
        }
        // Wrong: the fan-out in place of the fan-in, and a normal in place of a uniform.
        let conv2 = "deep.conv2.weight"
        let shape = MultiScaleNetwork(config: config, streams: RandomStreams(seed: 7)).store[conv2]!.shape
        let fanIn = shape.dropFirst().reduce(1, *), fanOut = shape[0] * shape[2] * shape[3]
        var stream = RandomStreams(seed: 8).stream("mutation")
        let swapped = Initializer.pytorchDefault.make(shape: shape, fanIn: fanOut, fanOut: fanIn, stream: &stream)
        let normal = Initializer.kaimingNormal.make(shape: shape, fanIn: fanIn * 6, fanOut: fanOut, stream: &stream)
        let reference = try Self.reference(fixture, "init/\(preset)/pytorchDefault/\(conv2)")
        XCTAssertNotEqual(Self.problems(Statistics(swapped), against: reference, uniform: true), [],
                          "fan-out for fan-in must fail")
        XCTAssertNotEqual(Self.problems(Statistics(normal), against: reference, uniform: true), [],
                          "a normal of the same variance must fail")
    }

    struct Statistics: Equatable {
        var count: Int, mean: Double, std: Double, maxAbs: Double, fractionBeyondStd: Double

        init(count: Int, mean: Double, std: Double, maxAbs: Double, fractionBeyondStd: Double) {
            self.count = count; self.mean = mean; self.std = std; self.maxAbs = maxAbs
            self.fractionBeyondStd = fractionBeyondStd
        }

        init(_ tensor: Tensor) {
            let p = tensor.pointer, n = tensor.count
            var sum = 0.0, largest = 0.0
            for i in 0..<n { sum += Double(p[i]); largest = max(largest, abs(Double(p[i]))) }
            let mean = sum / Double(n)
            var squares = 0.0
            for i in 0..<n { squares += (Double(p[i]) - mean) * (Double(p[i]) - mean) }
            let std = (squares / Double(n)).squareRoot()
            var beyond = 0
            if std > 0 { for i in 0..<n where abs(Double(p[i])) > std { beyond += 1 } }
            self.init(count: n, mean: mean, std: std, maxAbs: largest, fractionBeyondStd: Double(beyond) / Double(n))
        }
    }

    static func reference(_ fixture: TorchFixture, _ group: String) throws -> Statistics {
        Statistics(count: try fixture.int(group, "count"), mean: try fixture.double(group, "mean"),
                   std: try fixture.double(group, "std"), maxAbs: try fixture.double(group, "max_abs"),
                   fractionBeyondStd: try fixture.double(group, "fraction_beyond_std"))
    }

    /// What differs beyond sampling error, as readable lines (empty: none). Standard
    /// errors: sigma/sqrt(n) for the mean, sigma/sqrt(2n) for the standard deviation
    /// (generous for a uniform, whose kurtosis is lower), sqrt(f(1-f)/n) for the fraction;
    /// PyTorch's own, from its larger sample, added in quadrature.
    static func problems(_ ours: Statistics, against theirs: Statistics, uniform: Bool) -> [String] {
        if theirs.std == 0 {
            return ours.std == 0 && ours.mean == theirs.mean ? [] : ["constant \(theirs.mean): got mean \(ours.mean), std \(ours.std)"]
        }
        func error(_ perSample: Double) -> Double {
            standardErrors * (perSample * perSample / Double(ours.count) + perSample * perSample / Double(theirs.count)).squareRoot()
        }
        let sigma = theirs.std, f = theirs.fractionBeyondStd
        var found: [String] = []
        if abs(ours.mean - theirs.mean) > error(sigma) { found.append("mean \(ours.mean) vs \(theirs.mean)") }
        if abs(ours.std - sigma) > error(sigma / 2.0.squareRoot()) { found.append("std \(ours.std) vs \(sigma)") }
        if abs(ours.fractionBeyondStd - f) > error((f * (1 - f)).squareRoot()) {
            found.append("fraction beyond std \(ours.fractionBeyondStd) vs \(f)")
        }
        if uniform {
            // |x| of n uniform draws: P(max < b(1 - t)) = (1 - t)^n, below e^-12 for t = 12/n.
            let bound = theirs.maxAbs
            if ours.maxAbs > bound * (1 + 1e-6) || ours.maxAbs < bound * (1 - 12 / Double(ours.count)) {
                found.append("max |x| \(ours.maxAbs) vs \(bound)")
            }
        }
        return found
    }
}
