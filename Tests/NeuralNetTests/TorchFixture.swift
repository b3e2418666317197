import Foundation
import Storage
import TensorKit
import XCTest

/// Reads a PyTorch fixture through our own HDF5 wrapper: `Tests/Fixtures/torch-reference.h5`,
/// written by `Tests/Reference/make_torch_fixtures.py` (PyTorch, float64, stored as float32),
/// or another at `path` (`networkParity()`).
struct TorchFixture {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/torch-reference.h5").path

    let file: HDF5File

    init(path: String = TorchFixture.path) throws { file = try HDF5File(reading: path) }

    func tensor(_ path: String) throws -> Tensor {
        let (values, shape) = try file.root.read(Float.self, from: path)
        return Tensor(shape: shape, values: values)
    }

    func floats(_ path: String) throws -> [Float] { try file.root.read(Float.self, from: path).values }

    func scalar(_ path: String) throws -> Float { try file.root.readScalar(Float.self, from: path) }

    func int(_ group: String, _ attribute: String) throws -> Int {
        Int(try file.root.group(group).attribute(attribute, as: Int64.self))
    }

    func double(_ group: String, _ attribute: String) throws -> Double {
        try file.root.group(group).attribute(attribute, as: Double.self)
    }

    /// Asserts `|ours - theirs| <= atol + rtol * |theirs|` elementwise; prints the max difference.
    @discardableResult
    static func assertClose(_ ours: Tensor, _ theirs: Tensor, atol: Float = 1e-5, rtol: Float = 1e-4,
                            _ label: String, file: StaticString = #filePath, line: UInt = #line) -> Float {
        XCTAssertEqual(ours.shape, theirs.shape, "\(label): shape", file: file, line: line)
        guard ours.count == theirs.count else { return .infinity }
        var worst: Float = 0, failures = 0
        for i in 0..<ours.count {
            let d = abs(ours[flat: i] - theirs[flat: i])
            worst = max(worst, d)
            if !(d <= atol + rtol * abs(theirs[flat: i])) { failures += 1 }
        }
        XCTAssertEqual(failures, 0, "\(label): \(failures) elements differ beyond atol \(atol) rtol \(rtol); max |diff| \(worst)",
                       file: file, line: line)
        print("torch parity \(label): max |diff| = \(worst)")
        return worst
    }
}
