import Foundation
import TensorKit
import XCTest

/// `Tests/Fixtures/network-parity.h5`, written by
/// `Tests/Reference/make_network_parity_fixtures.py` (PyTorch, float64, stored as float32).
/// A large tensor is stored as a summary (`sample`: every `stride`-th flat element,
/// `row_sums`: sums over every axis but the first, attribute `norm`), which
/// `relativeError(of:against:)` compares with ours.
extension TorchFixture {
    static let networkParityPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/network-parity.h5").path

    static func networkParity() throws -> TorchFixture { try TorchFixture(path: networkParityPath) }

    /// The largest of three relative errors of `ours` against the summary at `group`:
    /// `|a - b|₂ / |b|₂` over the sample and over the row sums, and the relative error of
    /// the L2 norm. Zero when every reference value is zero and ours are too.
    func relativeError(of ours: Tensor, against group: String) throws -> Double {
        let stride = try int(group, "stride")
        let sample = try floats("\(group)/sample"), rowSums = try floats("\(group)/row_sums")
        let ourSample = Swift.stride(from: 0, to: ours.count, by: stride).map { Double(ours[flat: $0]) }
        let rows = ours.shape[0], perRow = ours.count / rows
        let ourRowSums = (0..<rows).map { r in (0..<perRow).reduce(0.0) { $0 + Double(ours[flat: r * perRow + $1]) } }
        let ourNorm = (0..<ours.count).reduce(0.0) { $0 + Double(ours[flat: $1]) * Double(ours[flat: $1]) }.squareRoot()
        let norm = try double(group, "norm")
        XCTAssertEqual(ourSample.count, sample.count, "\(group): sample length")
        XCTAssertEqual(ourRowSums.count, rowSums.count, "\(group): rows")
        return max(Self.relativeL2(ourSample, sample.map(Double.init)),
                   Self.relativeL2(ourRowSums, rowSums.map(Double.init)),
                   norm == 0 ? ourNorm : abs(ourNorm - norm) / norm)
    }

    static func relativeL2(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count else { return .infinity }
        let difference = zip(a, b).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        let scale = b.reduce(0.0) { $0 + $1 * $1 }.squareRoot()
        return scale == 0 ? difference : difference / scale
    }
}
