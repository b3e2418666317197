import Foundation
import XCTest

/// `network: {init_from: FILE.h5}` through the built binary, with weights files written by
/// `Tests/Reference/export_torch_weights.py` from a state dict (`parity_draws.py` draws one;
/// Debian's Python with numpy and h5py runs both, no torch needed): a ranking network
/// started from a whole-network file and a classifier from a ConvNet-part file; the run
/// file records each file and its SHA-256, the untrained ranking network's stored weights
/// are the file's, `replay` is identical, and a changed file makes replay fail. A file that
/// does not fit the network, and a missing one, are clear errors.
final class InitFromCLITests: CLITestCase {
    static let scripts = repositoryRoot.appendingPathComponent("Tests/Reference").path

    func python(_ arguments: [String]) -> (status: Int32, output: String) {
        ClusterCLITests.shell(["/usr/bin/python3"] + arguments)
    }

    /// Draws a reference network at 32 x 32 (`scale` multiplies every value) and exports it
    /// to `whole.h5` and, its ConvNet part, to `convnet.h5` in `directory`.
    func export(into directory: String, scale: Double = 1) throws {
        let draws = python([Self.scripts + "/parity_draws.py", "--network", "reference", "--input-size", "32",
                            "--state-dict", directory + "/draws.npz"])
        XCTAssertEqual(draws.status, 0, draws.output)
        let scaled = python(["-c", """
            import sys, numpy as np
            with np.load(sys.argv[1]) as a:
                np.savez(sys.argv[1], **{k: (a[k] * float(sys.argv[2])).astype(np.float32) for k in a.files})
            """, directory + "/draws.npz", "\(scale)"])
        XCTAssertEqual(scaled.status, 0, scaled.output)
        for (scope, file) in [("all", "whole.h5"), ("convnet", "convnet.h5")] {
            let exported = python([Self.scripts + "/export_torch_weights.py", directory + "/draws.npz", "--out",
                                   directory + "/" + file, "--network", "reference", "--input-size", "32",
                                   "--scope", scope])
            XCTAssertEqual(exported.status, 0, exported.output)
        }
    }

    func spec(_ experiment: String, rankingNetwork: String, classifierNetwork: String) -> String {
        Self.tinySpec(experiment: experiment, seeds: [1], methods: [
            "- {name: deep-ranking, type: deep-ranking, network: \(rankingNetwork), steps: 0}",
            "- {name: classifier, type: classifier, network: \(classifierNetwork), steps: 2, batch_size: 8}",
        ])
    }

    func testRunsFromWeightsFilesRecordsThemAndReplays() throws {
        let directory = try makeTemporaryDirectory("InitFrom").path
        try export(into: directory)
        let specPath = directory + "/init-from.yaml"
        try spec("init-from", rankingNetwork: "{preset: reference, input_size: 32, init_from: whole.h5}",
                 classifierNetwork: "{preset: reference, input_size: 32, init_from: convnet.h5}")
            .write(toFile: specPath, atomically: true, encoding: .utf8)
        let out = directory + "/out"
        let run = try deeprank(["run", specPath, "--out", out])
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("deep-ranking: initialised 14 parameters from \(directory)/whole.h5"), run.output)
        XCTAssertTrue(run.output.contains("classifier: initialised 8 ConvNet parameters from \(directory)/convnet.h5"),
                      run.output)

        let check = python(["-c", """
            import sys, hashlib, h5py, numpy as np
            run, directory = sys.argv[1], sys.argv[2]
            with h5py.File(run, "r") as f, np.load(directory + "/draws.npz") as draws:
                for method, file in (("deep-ranking", "whole.h5"), ("classifier", "convnet.h5")):
                    attrs = f["methods"][method].attrs
                    assert attrs["init_from"] == directory + "/" + file, attrs["init_from"]
                    digest = hashlib.sha256(open(directory + "/" + file, "rb").read()).hexdigest()
                    assert attrs["init_from_sha256"] == digest, (method, attrs["init_from_sha256"], digest)
                weights = f["methods/deep-ranking/weights"]
                assert sorted(weights) == sorted(draws.files)
                for name in draws.files:
                    assert np.array_equal(weights[name][()], draws[name]), name
            print("ok")
            """, out + "/seed-1.h5", directory])
        XCTAssertEqual(check.status, 0, check.output)

        let replay = try deeprank(["replay", out + "/seed-1.h5", "--threads", "1"])
        XCTAssertEqual(replay.status, 0, replay.output)
        XCTAssertTrue(replay.output.contains(": identical"), replay.output)

        try export(into: directory, scale: 0.5)
        let changed = try deeprank(["replay", out + "/seed-1.h5", "--threads", "1"])
        XCTAssertEqual(changed.status, 1, changed.output)
        XCTAssertTrue(changed.output.contains("\(directory)/whole.h5: the weights file changed: its SHA-256 is"),
                      changed.output)

        // Using the trained model needs its stored weights only, not the starting ones.
        for file in ["whole.h5", "convnet.h5"] { try FileManager.default.removeItem(atPath: directory + "/" + file) }
        let images = directory + "/images"
        try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: true)
        for name in ["baseline_rgb.jpg", "gray8.png"] {
            try FileManager.default.copyItem(atPath: Self.repositoryRoot.appendingPathComponent("Tests/Fixtures/images/" + name).path,
                                             toPath: images + "/" + name)
        }
        let embed = try deeprank(["embed", out + "/seed-1.h5", "--method", "deep-ranking", images, "--out",
                                  directory + "/embeddings.h5"])
        XCTAssertEqual(embed.status, 0, embed.output)
    }

    func testAFileThatDoesNotFitAndAMissingFileAreClearErrors() throws {
        let directory = try makeTemporaryDirectory("InitFromErrors").path
        try export(into: directory)
        let cases: [(name: String, ranking: String, expected: [String])] = [
            ("misfit", "{preset: reference, input_size: 32, embedding: 64, init_from: whole.h5}",
             ["\(directory)/whole.h5: the weights do not fit the network",
              "embed.weight has shape [128, 896] in the file, the network's is [64, 896]"]),
            ("convnet-of-another", "{preset: reference, input_size: 32, deep_features: 128, init_from: convnet.h5}",
             ["deep.fc.weight has shape [256, 2048] in the file, the network's is [128, 2048]"]),
            ("missing", "{preset: reference, input_size: 32, init_from: nowhere.h5}",
             ["network.init_from", "\(directory)/nowhere.h5: cannot read the weights file: no such file"]),
        ]
        for item in cases {
            let specPath = directory + "/\(item.name).yaml"
            try spec(item.name, rankingNetwork: item.ranking, classifierNetwork: "{preset: reference, input_size: 32}")
                .write(toFile: specPath, atomically: true, encoding: .utf8)
            let run = try deeprank(["run", specPath, "--out", directory + "/" + item.name])
            XCTAssertEqual(run.status, 1, "\(item.name): \(run.output)")
            for text in item.expected {
                XCTAssertTrue(run.output.contains(text), "\(item.name): '\(text)' not in\n\(run.output)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/\(item.name)/seed-1.h5"), item.name)
        }
    }

    /// torchvision AlexNet's naming (`features.<i>`, a classifier left out) through
    /// `--map alexnet`, on a small network with two convolutions: the file holds the
    /// convolutions alone, which a ranking network and a classifier both take.
    func testAlexNetStyleFeaturesLoadAsTheConvolutions() throws {
        let directory = try makeTemporaryDirectory("InitFromAlexNet").path
        let made = python(["-c", """
            import sys, numpy as np
            rng = np.random.default_rng(5)
            shapes = {"features.0.weight": (8, 3, 5, 5), "features.0.bias": (8,), "features.3.weight": (16, 8, 3, 3),
                      "features.3.bias": (16,), "classifier.1.weight": (10, 4), "classifier.1.bias": (10,)}
            np.savez(sys.argv[1], **{k: rng.standard_normal(s).astype(np.float32) * 0.1 for k, s in shapes.items()})
            """, directory + "/alexnet.npz"])
        XCTAssertEqual(made.status, 0, made.output)
        let exported = python([Self.scripts + "/export_torch_weights.py", directory + "/alexnet.npz", "--out",
                               directory + "/features.h5", "--map", "alexnet"])
        XCTAssertEqual(exported.status, 0, exported.output)
        XCTAssertTrue(exported.output.contains("4 tensors"), exported.output)
        let network = "{preset: reference, input_size: 32, deep_stages: [{channels: 8, kernel: 5, padding: 2}, "
            + "{channels: 16, kernel: 3, padding: 1}], init_from: features.h5}"
        let specPath = directory + "/alexnet.yaml"
        try spec("alexnet", rankingNetwork: network, classifierNetwork: network)
            .write(toFile: specPath, atomically: true, encoding: .utf8)
        let run = try deeprank(["run", specPath, "--out", directory + "/out"])
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("deep-ranking: initialised 4 parameters from"), run.output)
        XCTAssertTrue(run.output.contains("classifier: initialised 4 ConvNet parameters from"), run.output)
        let check = python(["-c", """
            import sys, h5py, numpy as np
            with h5py.File(sys.argv[1], "r") as f, np.load(sys.argv[2]) as a:
                w = f["methods/deep-ranking/weights"]
                for ours, theirs in (("deep.conv1", "features.0"), ("deep.conv2", "features.3")):
                    for kind in ("weight", "bias"):
                        assert np.array_equal(w[ours + "." + kind][()], a[theirs + "." + kind]), ours
            print("ok")
            """, directory + "/out/seed-1.h5", directory + "/alexnet.npz"])
        XCTAssertEqual(check.status, 0, check.output)

        // A feature index where AlexNet has no convolution is an error of the exporter.
        let odd = python(["-c", """
            import sys, numpy as np
            np.savez(sys.argv[1], **{"features.2.weight": np.zeros((2, 3, 3, 3), np.float32)})
            """, directory + "/odd.npz"])
        XCTAssertEqual(odd.status, 0, odd.output)
        let refused = python([Self.scripts + "/export_torch_weights.py", directory + "/odd.npz", "--out",
                              directory + "/odd.h5", "--map", "alexnet"])
        XCTAssertEqual(refused.status, 1, refused.output)
        XCTAssertTrue(refused.output.contains("features.2.weight: AlexNet's features have convolutions at [0, 3, 6, 8, 10]"),
                      refused.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/odd.h5"))
    }
}
