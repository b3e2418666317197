import Foundation
@testable import Methods
import NeuralNet
import RunFile
import Storage
import TensorKit
import XCTest

/// A PyTorch network loaded through `init_from` computes what PyTorch computes: the
/// paper-sized twin (`Tests/Reference/multiscale_twin.py`) with drawn parameters, exported by
/// `Tests/Reference/export_torch_weights.py`, loaded into `MultiScaleNetwork.paperSized` as
/// `network.init_from` loads it (`InitialWeights`), embeds six drawn images as the twin did
/// (`/init_from/paper-sized/embeddings` in `Tests/Fixtures/network-parity.h5`), within
/// `tolerance` relative (L2 over all embeddings).
///
/// The fixture script exports the twin both from a `torch.save` state dict and from a numpy
/// archive of the same values and checks they give the same tensors; here the numpy route
/// runs (`parity_draws.py` draws the archive and the images), so CI needs no torch.
/// Exchanging the two shallow parts' filters (equal shapes) fails the tolerance.
final class InitFromParityTests: XCTestCase {
    static let tolerance = 1e-5
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testPaperSizedTwinExportedFromPyTorchEmbedsTheSame() throws {
        guard let python = ReferencePython.withH5py() else {
            throw NSError(domain: "a missing prerequisite fails the test (it is never skipped)", code: 1, userInfo: [NSLocalizedDescriptionKey: "no Python with h5py and numpy; bash .ci/install-deps installs python3-h5py"])
        }
        let fixture = try HDF5File(reading: Self.repository.appendingPathComponent("Tests/Fixtures/network-parity.h5").path)
        let group = try fixture.root.group("init_from/paper-sized")
        let expected = try fixture.root.read(Float.self, from: "init_from/paper-sized/embeddings")
        let count = Int(try group.attribute("count", as: Int64.self))

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("init-from-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let scripts = Self.repository.appendingPathComponent("Tests/Reference").path
        let draws = try ReferencePython.run(python, [scripts + "/parity_draws.py", "--network", "paper-sized",
                                                     "--state-dict", directory + "/twin.npz", "--images", directory + "/x.h5",
                                                     "--count", "\(count)", "--images-name", try group.stringAttribute("images_name")])
        XCTAssertEqual(draws.0, 0, draws.1)
        let export = try ReferencePython.run(python, [scripts + "/export_torch_weights.py", directory + "/twin.npz",
                                                      "--out", directory + "/twin.h5", "--network", "paper-sized"])
        XCTAssertEqual(export.0, 0, export.1)

        let file = try WeightsFile(reading: try WeightsSource(path: directory + "/twin.h5"))
        let network = MultiScaleNetwork(config: .paperSized, streams: RandomStreams(seed: 1))
        XCTAssertEqual(try InitialWeights.load(file, intoRanking: network.store).count, 18)
        let (values, shape) = try HDF5File(reading: directory + "/x.h5").root.read(Float.self, from: "x")
        let x = Tensor(shape: shape, values: values)
        let error = Self.relativeError(network.forward(x, training: false).array, expected.values)
        XCTAssertLessThanOrEqual(error, Self.tolerance)
        print("init_from parity paper-sized: relative L2 error \(error) over \(count) embeddings of 4096")

        // Wrong: the two shallow parts' filters exchanged.
        let a = network.store["shallow_a.conv.weight"]!.value, b = network.store["shallow_b.conv.weight"]!.value
        let kept = a.clone()
        a.copy(from: b); b.copy(from: kept)
        let swapped = Self.relativeError(network.forward(x, training: false).array, expected.values)
        XCTAssertGreaterThan(swapped, 100 * Self.tolerance)
        print("init_from parity paper-sized: shallow parts swapped, relative L2 error \(swapped)")
    }

    static func relativeError(_ ours: [Float], _ theirs: [Float]) -> Double {
        guard ours.count == theirs.count else { return .infinity }
        let difference = zip(ours, theirs).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        let scale = theirs.reduce(0.0) { $0 + Double($1) * Double($1) }
        return (difference / scale).squareRoot()
    }
}
