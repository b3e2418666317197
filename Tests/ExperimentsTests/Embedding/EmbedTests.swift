import DatasetKit
import Evaluation
import Experiments
import Foundation
import RunFile
import Storage
import TensorKit
import XCTest

/// Using a trained model (README, "Using a model"): a row rebuilt from its run file gives
/// every image the vector the trained method gives it, bit for bit; embeddings files
/// round-trip; a query ranks the index as the run's own ranker does.
final class EmbedTests: XCTestCase {
    override func tearDown() { Parallel.configure(threads: 1) }

    func testEveryRowEmbedsAsTheTrainedMethodBitForBit() throws {
        Parallel.configure(threads: 1)
        let run = try EmbedRun(self)
        Parallel.configure(threads: 2)  // the vectors must not depend on it
        let test = run.result.split.test
        let identifiers = test.map(run.result.dataset.identifier(of:))
        for row in EmbedRun.rows {
            let expected = try run.inRunRanker(row, indices: test)
            let model = try StoredModel(path: run.runFile, name: row)
            XCTAssertEqual(model.row, row)
            let embedding = try Embedding.embed(folder: run.root, with: model)
            XCTAssertEqual(embedding.paths.count, run.result.dataset.count, row)
            XCTAssertEqual(embedding.dimension, expected.dimension, row)
            XCTAssertEqual(embedding.comparison, expected.comparison.name, row)
            for (r, identifier) in identifiers.enumerated() {
                let i = try XCTUnwrap(embedding.paths.firstIndex(of: identifier), identifier)
                let got = embedding.vectors[i * embedding.dimension..<(i + 1) * embedding.dimension]
                let want = expected.vectors[r * expected.dimension..<(r + 1) * expected.dimension]
                XCTAssertEqual(got.map(\.bitPattern), want.map(\.bitPattern), "\(row): \(identifier)")
            }
            if case .bilinear(let w) = expected.comparison {
                XCTAssertEqual(embedding.bilinearWeights, w, row)
            } else {
                XCTAssertNil(embedding.bilinearWeights, row)
            }
        }
        XCTAssertEqual(try StoredModel(path: run.runFile, name: "deep-ranking").method, "deep-ranking")
        XCTAssertEqual(try StoredModel(path: run.runFile, name: "classifier-penultimate").method, "classifier")
    }

    /// An image embedded alone gets the bits it gets among the 18 of the folder (a network
    /// multiplies its fully connected layers in blocks of rows; see `StoredModel.ranker`).
    func testAVectorDoesNotDependOnTheOtherImages() throws {
        let run = try EmbedRun(self)
        for row in EmbedRun.rows {
            let model = try StoredModel(path: run.runFile, name: row)
            let embedding = try Embedding.embed(folder: run.root, with: model)
            for i in [0, 5, 16, 17] {
                let alone = try model.ranker(for: try ImageTreeDataset(root: run.root, relativePaths: [embedding.paths[i]]))
                let d = embedding.dimension
                XCTAssertEqual(alone.vectors.map(\.bitPattern), embedding.vectors[i * d..<(i + 1) * d].map(\.bitPattern),
                               "\(row): \(embedding.paths[i])")
            }
        }
    }

    func testEmbeddingsFileRoundTripsAndIsReadableWithoutThisProgram() throws {
        let run = try EmbedRun(self)
        let model = try StoredModel(path: run.runFile, name: "oasis-hog")
        let embedding = try Embedding.embed(folder: run.root, with: model)
        let path = run.directory + "/oasis.h5"
        try EmbeddingFile.write(embedding, to: path)
        XCTAssertEqual(try EmbeddingFile.read(path), embedding)

        let file = try HDF5File(reading: path)
        let stored = try RunFileReader(path: run.runFile).digests()
        XCTAssertEqual(try file.root.stringAttribute("format"), "deeprank-embeddings")
        XCTAssertEqual(try file.root.attribute("format_version", as: Int64.self), 1)
        XCTAssertEqual(try file.root.stringAttribute("run_file"), run.runFile)
        XCTAssertEqual(try file.root.stringAttribute("weights_digest"), stored.weights)
        XCTAssertEqual(try file.root.stringAttribute("method_weights_digest"), stored.methodWeights["oasis-hog"])
        XCTAssertEqual(try file.root.stringAttribute("row"), "oasis-hog")
        XCTAssertEqual(try file.root.stringAttribute("comparison"), "bilinear")
        let (vectors, shape) = try file.root.read(Float.self, from: "embeddings")
        XCTAssertEqual(shape, [18, embedding.dimension])
        XCTAssertEqual(vectors, embedding.vectors)
        XCTAssertEqual(try file.root.read(Float.self, from: "bilinear_weights").shape, [embedding.dimension, embedding.dimension])
        let paths = try file.root.readString(from: "paths").components(separatedBy: "\n")
        XCTAssertEqual(paths.first, "cats/0.png")
        XCTAssertEqual(paths, (0..<run.result.dataset.count).map(run.result.dataset.identifier(of:)),
                       "the order of the image-folder dataset")
        XCTAssertTrue(paths.contains("owls/baseline_rgb.jpg"), "JPEG images are embedded too")
    }

    /// Every image queried against the whole folder: the order is the in-run ranker's
    /// (similarity descending, ties in index order), and a distance row finds the image itself first.
    func testQueryRanksAsTheRunsRanker() throws {
        let run = try EmbedRun(self)
        let all = Array(0..<run.result.dataset.count)
        for row in EmbedRun.rows {
            let model = try StoredModel(path: run.runFile, name: row)
            let index = try Embedding.index(at: run.root, model: model)
            let expected = try run.inRunRanker(row, indices: all)
            for q in [0, 7, 15] {
                let path = run.result.dataset.identifier(of: q)
                let found = try index.nearest(toImage: run.root + "/" + path, model: model, k: all.count)
                let order = all.sorted {
                    let (a, b) = (expected.similarity(q, $0), expected.similarity(q, $1))
                    return a != b ? a > b : $0 < $1
                }
                XCTAssertEqual(found.map(\.path), order.map(run.result.dataset.identifier(of:)), "\(row), query \(path)")
                XCTAssertEqual(found.map(\.rank), Array(1...all.count))
                if row != "oasis-hog" {
                    XCTAssertEqual(found.first?.path, path, "\(row): an image is its own nearest neighbour")
                    XCTAssertEqual(found.first?.similarity, 0, row)
                }
            }
        }
    }

    func testQueryWithAStoredIndex() throws {
        let run = try EmbedRun(self)
        let model = try StoredModel(path: run.runFile, name: "golden")
        let path = run.directory + "/golden.h5"
        try EmbeddingFile.write(try Embedding.embed(folder: run.root, with: model), to: path)
        let fresh = try StoredModel(path: run.runFile, name: "golden")
        let stored = try Embedding.index(at: path, model: fresh)
        let found = try stored.nearest(toImage: run.root + "/dogs/2.png", model: fresh, k: 3)
        XCTAssertEqual(found.count, 3)
        XCTAssertEqual(found.first?.path, "dogs/2.png")
        XCTAssertEqual(found, try Embedding.index(at: run.root, model: fresh).nearest(toImage: run.root + "/dogs/2.png",
                                                                                       model: fresh, k: 3))
        // An index embedded with another row is refused.
        XCTAssertThrowsError(try Embedding.index(at: path, model: try StoredModel(path: run.runFile, name: "hog"))) {
            guard case EmbeddingError.indexMismatch(let file, let reason) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(file, path)
            XCTAssertTrue(reason.contains("row 'golden'"), reason)
        }
    }

    func testNamesThatDoNotPickOneRow() throws {
        let run = try EmbedRun(self)
        XCTAssertThrowsError(try StoredModel(path: run.runFile, name: "clasifier-penultimate")) {
            XCTAssertEqual($0 as? EmbeddingError, .unknownRow(file: run.runFile, name: "clasifier-penultimate",
                                                               rows: EmbedRun.rows, suggestion: "classifier-penultimate"))
            XCTAssertTrue("\($0)".contains("did you mean 'classifier-penultimate'?"), "\($0)")
        }
        XCTAssertThrowsError(try StoredModel(path: run.runFile, name: "classifier")) {
            XCTAssertEqual($0 as? EmbeddingError, .ambiguousMethod(file: run.runFile, method: "classifier",
                                                                    rows: ["classifier-probabilities", "classifier-penultimate"]))
        }
    }

    func testUnreadableImagesFailOrAreSkipped() throws {
        let run = try EmbedRun(self)
        let broken = run.root + "/dogs/zz-broken.png"
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: broken))
        for row in ["deep-ranking", "hog", "golden"] {
            let model = try StoredModel(path: run.runFile, name: row)
            XCTAssertThrowsError(try Embedding.embed(folder: run.root, with: model)) {
                guard case DatasetError.unreadableImage(let path, _) = $0 else { return XCTFail("\(row): \($0)") }
                XCTAssertEqual(path, broken, row)
            }
            var warnings: [String] = []
            let embedding = try Embedding.embed(folder: run.root, with: model, skipUnreadable: true, warn: { warnings.append($0) })
            XCTAssertEqual(embedding.paths.count, 18, row)
            XCTAssertFalse(embedding.paths.contains("dogs/zz-broken.png"), row)
            XCTAssertEqual(warnings.count, 1, row)
            XCTAssertTrue(warnings.first?.hasPrefix(broken + ": ") == true, "\(warnings)")
        }
        let model = try StoredModel(path: run.runFile, name: "hog")
        XCTAssertThrowsError(try Embedding.index(at: run.root, model: model).nearest(toImage: broken, model: model, k: 1)) {
            guard case DatasetError.unreadableImage(let path, _) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(path, broken)
        }
    }

    func testFoldersAndImagesThatAreNotThere() throws {
        let run = try EmbedRun(self)
        let model = try StoredModel(path: run.runFile, name: "deep-ranking")
        let empty = run.directory + "/empty"
        try FileManager.default.createDirectory(atPath: empty + "/sub", withIntermediateDirectories: true)
        try Data("notes".utf8).write(to: URL(fileURLWithPath: empty + "/sub/readme.txt"))
        XCTAssertThrowsError(try Embedding.embed(folder: empty, with: model)) {
            guard case DatasetError.emptyDataset(let path, _) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(path, empty)
        }
        XCTAssertThrowsError(try Embedding.index(at: run.directory + "/nothing", model: model)) {
            XCTAssertEqual($0 as? DatasetError, .missingDirectory(path: run.directory + "/nothing"))
        }
        let index = try Embedding.index(at: run.root, model: model)
        XCTAssertThrowsError(try index.nearest(toImage: run.root + "/cats/missing.png", model: model, k: 3)) {
            XCTAssertEqual($0 as? EmbeddingError, .missingImage(path: run.root + "/cats/missing.png"))
        }
        XCTAssertThrowsError(try index.nearest(toImage: run.root + "/cats", model: model, k: 3)) {
            XCTAssertEqual($0 as? EmbeddingError, .missingImage(path: run.root + "/cats"))
        }
    }

    func testFilesThatAreNotCompleteRunFiles() throws {
        let run = try EmbedRun(self)
        let text = run.directory + "/embed.yaml"
        XCTAssertThrowsError(try StoredModel(path: text, name: "hog")) {
            XCTAssertEqual($0 as? HDF5Error, .notHDF5(file: text))
        }
        let embeddings = run.directory + "/hog.h5"
        try EmbeddingFile.write(try Embedding.embed(folder: run.root, with: try StoredModel(path: run.runFile, name: "hog")),
                                to: embeddings)
        XCTAssertThrowsError(try StoredModel(path: embeddings, name: "hog")) {
            XCTAssertEqual($0 as? RunFileError, .notARunFile(file: embeddings, found: "deeprank-embeddings"))
        }
        XCTAssertThrowsError(try EmbeddingFile.read(run.runFile)) {
            guard case EmbeddingError.notAnEmbeddingFile(let file, _) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(file, run.runFile)
        }

        // A checkpoint of an interrupted run (status `running`).
        let (directory, spec) = try makeTinyRunDirectory(self)
        var runner = SpecRunner(spec: spec, outputDirectory: directory + "/out", commandLine: "test", log: { _ in },
                                checkpointInterval: 2)
        runner.afterCheckpoint = { throw CancellationError() }
        XCTAssertThrowsError(try runner.run())
        let running = runner.outputPath(seed: 5)
        XCTAssertEqual(try RunFileReader(path: running).status, .running)
        XCTAssertThrowsError(try StoredModel(path: running, name: "hog")) {
            XCTAssertEqual($0 as? RunFileError, .notComplete(file: running))
        }
    }

    func testAFailedMethodHasNoModel() throws {
        let (directory, _) = try makeTinyRunDirectory(self)
        let specPath = directory + "/diverge.yaml"
        try tinySpecText.replacingOccurrences(of: "steps: 3, batch_size: 4}", with: "steps: 6, batch_size: 4, learning_rate: 3.0e+38}")
            .appending("  - {name: oasis-deep, type: oasis, base: deep-ranking, steps: 10}\n")
            .write(toFile: specPath, atomically: true, encoding: .utf8)
        let path = try tinyRunner(try SpecParser.load(path: specPath), out: directory + "/out").run()[0].path
        for name in ["deep-ranking", "oasis-deep"] {
            XCTAssertThrowsError(try StoredModel(path: path, name: name)) {
                guard case EmbeddingError.methodFailed(let file, let method, let reason, nil) = $0 else { return XCTFail("\($0)") }
                XCTAssertEqual(file, path)
                XCTAssertEqual(method, name)
                XCTAssertTrue(reason.contains("loss became"), reason)
            }
        }
        XCTAssertNoThrow(try StoredModel(path: path, name: "oasis-hog"), "the other methods stay usable")
    }
}
