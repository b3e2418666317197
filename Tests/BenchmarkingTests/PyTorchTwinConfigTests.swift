import Foundation
import NeuralNet
import XCTest
@testable import Benchmarking

/// The Swift network as the config of its PyTorch twin: the presets convert to exactly the
/// dicts of `Tests/Reference/multiscale_twin.py`'s `PRESETS`, written by
///
///     cd Tests/Reference && python3 -c "import json, multiscale_twin as m; \
///         print(json.dumps(m.PRESETS['reference'], sort_keys=True))"     # and 'paper-sized'
///
/// (torch 2.15.0; the tuples of `shallow_parts` become JSON lists, `None` null).
final class PyTorchTwinConfigTests: XCTestCase {
    static let referencePreset = #"""
        {"deep_features": 256, "deep_stages": [{"channels": 32, "kernel": 5, "lrn": false, "padding": 2, "pool_kernel": 2, "pool_stride": null, "stride": 1}, {"channels": 64, "kernel": 3, "lrn": false, "padding": 1, "pool_kernel": 2, "pool_stride": null, "stride": 1}, {"channels": 128, "kernel": 3, "lrn": false, "padding": 1, "pool_kernel": 2, "pool_stride": null, "stride": 1}], "dropout_keep": 0.6, "embedding": 128, "input_size": 64, "shallow_parts": [[4, {"channels": 32, "kernel": 3, "lrn": false, "padding": 1, "pool_kernel": 2, "pool_stride": null, "stride": 1}], [8, {"channels": 32, "kernel": 3, "lrn": false, "padding": 1, "pool_kernel": 2, "pool_stride": null, "stride": 1}]]}
        """#

    static let paperSizedPreset = #"""
        {"deep_features": 4096, "deep_stages": [{"channels": 96, "kernel": 11, "lrn": true, "padding": 0, "pool_kernel": 3, "pool_stride": 2, "stride": 4}, {"channels": 256, "kernel": 5, "lrn": true, "padding": 2, "pool_kernel": 3, "pool_stride": 2, "stride": 1}, {"channels": 384, "kernel": 3, "lrn": false, "padding": 1, "pool_kernel": null, "pool_stride": null, "stride": 1}, {"channels": 384, "kernel": 3, "lrn": false, "padding": 1, "pool_kernel": null, "pool_stride": null, "stride": 1}, {"channels": 256, "kernel": 3, "lrn": false, "padding": 1, "pool_kernel": 3, "pool_stride": 2, "stride": 1}], "dropout_keep": 0.6, "embedding": 4096, "input_size": 225, "shallow_parts": [[4, {"channels": 96, "kernel": 8, "lrn": false, "padding": 0, "pool_kernel": 3, "pool_stride": 3, "stride": 4}], [8, {"channels": 96, "kernel": 8, "lrn": false, "padding": 0, "pool_kernel": 3, "pool_stride": 1, "stride": 4}]]}
        """#

    /// `json` parsed back, as Foundation objects (so key order and number spelling do not matter).
    func parsed(_ json: String) throws -> NSDictionary {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? NSDictionary)
    }

    func testPresetsConvertToTheTwinsPresets() throws {
        XCTAssertEqual(try parsed(PyTorchTwinConfig.json(for: .reference)), try parsed(Self.referencePreset))
        XCTAssertEqual(try parsed(PyTorchTwinConfig.json(for: .paperSized)), try parsed(Self.paperSizedPreset))
    }

    /// The JSON is one line with sorted keys, and the keep probability keeps its decimal
    /// spelling (a Float widened to Double would read 0.6000000238418579).
    func testJSONIsOneSortedLine() throws {
        let json = try PyTorchTwinConfig.json(for: .reference)
        XCTAssertFalse(json.contains("\n"))
        XCTAssertTrue(json.hasPrefix(#"{"deep_features":256,"deep_stages":[{"channels":32,"#), json)
        XCTAssertTrue(json.contains(#""dropout_keep":0.6,"#), json)
    }

    /// A single-scale network has no shallow parts; the twin then returns the deep features.
    func testSingleScaleHasNoShallowParts() throws {
        var config = MultiScaleConfig.reference
        config.shallowParts = []
        let dictionary = try PyTorchTwinConfig.dictionary(for: config)
        XCTAssertEqual((dictionary["shallow_parts"] as? [Any])?.count, 0)
    }

    /// Another input channel count, or orientation channels, have no twin; the error says why.
    func testNetworksTheTwinCannotBuildAreRefused() {
        var gray = MultiScaleConfig.tiny
        gray.inputChannels = 1
        var oriented = MultiScaleConfig.tiny
        oriented.orientationChannels = 9
        let cases = [(gray, "the network reads 1 input channel(s); its PyTorch twin (Tests/Reference/multiscale_twin.py) reads 3"),
                     (oriented, "the network appends 9 orientation channel(s) to its input; its PyTorch twin "
                                + "(Tests/Reference/multiscale_twin.py) has none")]
        for (config, message) in cases {
            XCTAssertThrowsError(try PyTorchTwinConfig.json(for: config)) { XCTAssertEqual("\($0)", message) }
        }
    }
}
