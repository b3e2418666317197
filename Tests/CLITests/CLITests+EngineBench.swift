import Foundation
import XCTest

extension CLITests {
    /// `--print-twin-config` parsed back: the network `bench engine --network` chose, as
    /// the PyTorch twin's config.
    func twinConfig(_ arguments: [String]) throws -> [String: Any] {
        let result = try deeprank(["bench", "engine", "--print-twin-config"] + arguments)
        XCTAssertEqual(result.status, 0, result.output)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any],
                             result.output)
    }

    /// A spec with a deep-ranking method on a 32-pixel tiny network, a classifier and a
    /// hand-crafted method.
    func writeEngineBenchSpec() throws -> String {
        let spec = try makeTemporaryDirectory("CLITests-bench-engine").appendingPathComponent("nets.yaml").path
        try Self.tinySpec(experiment: "cli-bench-engine", seeds: [1], methods: [
            "- {name: lbp, type: handcrafted, feature: lbp}",
            "- {name: classifier, type: classifier, network: {preset: tiny, input_size: 32}}",
            "- {name: ranking, type: deep-ranking, network: {preset: tiny, input_size: 32, embedding: 12}}"
        ]).write(toFile: spec, atomically: true, encoding: .utf8)
        return spec
    }

    /// The default is the reference network; a preset and a spec's method name theirs.
    func testBenchEngineNetworkChoices() throws {
        let reference = try twinConfig([])
        XCTAssertEqual(reference["input_size"] as? Int, 64)
        XCTAssertEqual(reference as NSDictionary, try twinConfig(["--network", "reference"]) as NSDictionary)
        let paper = try twinConfig(["--network", "paper-sized"])
        XCTAssertEqual(paper["input_size"] as? Int, 225)
        XCTAssertEqual((paper["deep_stages"] as? [Any])?.count, 5)
        let ranking = try twinConfig(["--network", try writeEngineBenchSpec() + ":ranking"])
        XCTAssertEqual(ranking["input_size"] as? Int, 32)
        XCTAssertEqual(ranking["embedding"] as? Int, 12)
    }

    /// Every argument that names no trainable network: a clear message, exit status 1.
    func testBenchEngineRefusesWhatIsNoNetwork() throws {
        let spec = try writeEngineBenchSpec()
        let cases = [
            ("nope", "--network nope: no such preset (allowed: a preset (reference, tiny, paper-sized) or SPEC.yaml:METHOD)"),
            (spec, "--network \(spec): name the deep-ranking method whose network to train, as \(spec):METHOD"),
            (spec + ":", "--network \(spec): name the deep-ranking method"),
            (spec + ":missing", "the spec has no method 'missing' (its deep-ranking methods: ranking)"),
            (spec + ":classifier", "'classifier' is a classifier method; the engine benchmark trains the triplet network"),
            (spec + ":lbp", "'lbp' is a handcrafted method"),
            ("/nonexistent/spec.yaml:ranking", "/nonexistent/spec.yaml:1:1: cannot read the spec: no such file"),
        ]
        for (network, message) in cases {
            let result = try deeprank(["bench", "engine", "--network", network, "--print-twin-config"])
            XCTAssertEqual(result.status, 1, "\(network): \(result.output)")
            XCTAssertTrue(result.output.contains(message), "\(network): \(result.output)")
        }
        let zero = try deeprank(["bench", "engine", "--batch-triplets", "0"])
        XCTAssertNotEqual(zero.status, 0)
        XCTAssertTrue(zero.output.contains("--batch-triplets must be >= 1, got 0"), zero.output)
    }

    /// A short run on the tiny network: our figures for the chosen network and batch.
    func testBenchEngineTrainsTheChosenNetwork() throws {
        let result = try deeprank(["bench", "engine", "--network", "tiny", "--steps", "1", "--warmup", "0",
                                   "--batch-triplets", "2", "--threads", "2", "--json"])
        XCTAssertEqual(result.status, 0, result.output)
        let line = try XCTUnwrap(result.output.split(separator: "\n").last)
        let figures = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        // MultiScaleConfig.tiny: conv 3->4 5x5, 4->8 3x3, 8->8 3x3, fc 32->16, two shallow
        // 3->4 3x3, embedding (16 + 16 + 4) -> 8.
        let parameters = (4 * 75 + 4) + (8 * 36 + 8) + (8 * 72 + 8) + (32 * 16 + 16) + 2 * (4 * 27 + 4) + (36 * 8 + 8)
        XCTAssertEqual(figures["parameters"] as? Int, parameters)
        XCTAssertEqual((figures["conv_breakdown"] as? [Any])?.count, 5)
        XCTAssertGreaterThan(try XCTUnwrap(figures["train_images_per_s"] as? Double), 0)
    }
}
