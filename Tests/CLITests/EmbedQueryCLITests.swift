import Foundation
import XCTest

/// `deeprank embed` and `deeprank query` (README, "Using a model"), run as a user runs them
/// on a run file of a tiny spec and a folder of PNG and JPEG fixtures at several depths.
final class EmbedQueryCLITests: CLITestCase {
    var directory: String!
    var runFile: String { directory + "/out/seed-4.h5" }
    var images: String { directory + "/images" }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/images").path

    static let specText = tinySpec(experiment: "cli-embed", seeds: [4], methods: [
        "- {name: hog, type: handcrafted, feature: hog}",
        "- {name: oasis-hog, type: oasis, base: hog, steps: 30}",
        "- {name: deep-ranking, type: deep-ranking, network: {preset: tiny, input_size: 32}, steps: 2, batch_size: 4}",
        "- {name: classifier, type: classifier, network: {preset: tiny, input_size: 32}, steps: 2, batch_size: 4}"
    ])

    /// A run file of the tiny spec, and `images/`: 7 fixtures (4 PNG, 3 JPEG) at depths 0 to 2,
    /// plus a hidden image and a text file that are not read.
    override func setUpWithError() throws {
        try super.setUpWithError()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("EmbedQueryCLI-\(UUID().uuidString)").path
        let directory = self.directory!
        addTeardownBlock { try? FileManager.default.removeItem(atPath: directory) }
        for (fixture, target) in [("rgb8.png", "rgb8.png"), ("palette8.png", "palette8.png"), ("gray8.png", "gray/gray8.png"),
                                  ("baseline_gray.jpg", "gray/baseline_gray.jpg"), ("rgba16.png", "photos/2024/rgba16.png"),
                                  ("baseline_rgb.jpg", "photos/2024/baseline_rgb.jpg"),
                                  ("progressive_rgb.jpg", "photos/progressive_rgb.jpg"), ("rgb8.png", ".hidden.png")] {
            try copy(fixture, to: images + "/" + target)
        }
        try "notes".write(toFile: images + "/notes.txt", atomically: true, encoding: .utf8)
        try Self.specText.write(toFile: directory + "/tiny.yaml", atomically: true, encoding: .utf8)
        let run = try deeprankSeparately(["run", directory + "/tiny.yaml", "--out", directory + "/out", "--threads", "1"])
        XCTAssertEqual(run.status, 0, run.out + run.err)
    }

    func copy(_ fixture: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixtures + "/" + fixture, toPath: path)
    }

    func testEmbedThenQueryTheFolderAndTheFile() throws {
        let out = directory + "/deep.h5"
        let embed = try deeprankSeparately(["embed", runFile, "--method", "deep-ranking", images, "--out", out])
        XCTAssertEqual(embed.status, 0, embed.err)
        XCTAssertEqual(embed.out, "\(out): 7 images of \(images) embedded with row deep-ranking of \(runFile) "
                       + "(8 values each, compared by squared-l2)\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out))

        let image = images + "/photos/2024/rgba16.png"
        let fromFolder = try deeprankSeparately(["query", runFile, "--method", "deep-ranking", "--index", images, image, "-k", "3"])
        XCTAssertEqual(fromFolder.status, 0, fromFolder.err)
        let lines = fromFolder.out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5, fromFolder.out)
        XCTAssertEqual(lines[0], "\(image): 3 nearest of 7 images in \(images) (row deep-ranking of \(runFile), squared-l2 distance)")
        XCTAssertEqual(lines[1], "rank  distance    path")
        XCTAssertEqual(lines[2], "   1  0           photos/2024/rgba16.png", "the image itself comes first")
        XCTAssertTrue(lines[3].hasPrefix("   2  "), lines[3])

        let fromFile = try deeprankSeparately(["query", runFile, "--method", "deep-ranking", "--index", out, image, "-k", "3"])
        XCTAssertEqual(fromFile.status, 0, fromFile.err)
        XCTAssertEqual(fromFile.out.split(separator: "\n").dropFirst().map(String.init), Array(lines.dropFirst()),
                       "the stored index gives the same neighbours")
    }

    func testOASISAndClassifierRows() throws {
        let oasis = try deeprankSeparately(["embed", runFile, "--method", "oasis-hog", images, "--out", directory + "/oasis.h5"])
        XCTAssertEqual(oasis.status, 0, oasis.err)
        XCTAssertTrue(oasis.out.hasSuffix("(324 values each, compared by bilinear)\n"), oasis.out)
        let query = try deeprankSeparately(["query", runFile, "--method", "oasis-hog", "--index", directory + "/oasis.h5",
                                  images + "/rgb8.png"])
        XCTAssertEqual(query.status, 0, query.err)
        let lines = query.out.split(separator: "\n")
        XCTAssertTrue(lines[0].hasSuffix("7 nearest of 7 images in \(directory!)/oasis.h5 (row oasis-hog of \(runFile), "
                                         + "bilinear similarity)"), query.out)
        XCTAssertEqual(lines[1], "rank  similarity  path")
        XCTAssertEqual(lines.count, 9)

        let penultimate = try deeprankSeparately(["query", runFile, "--method", "classifier-penultimate", "--index", images,
                                        images + "/gray/gray8.png", "-k", "1"])
        XCTAssertEqual(penultimate.status, 0, penultimate.err)
        XCTAssertTrue(penultimate.out.hasSuffix("   1  0           gray/gray8.png\n"), penultimate.out)

        let ambiguous = try deeprankSeparately(["embed", runFile, "--method", "classifier", images, "--out", directory + "/c.h5"])
        XCTAssertEqual(ambiguous.status, 1)
        XCTAssertEqual(ambiguous.err, "error: \(runFile): method 'classifier' has 2 rows; give one of them to --method: "
                       + "classifier-probabilities, classifier-penultimate\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/c.h5"))
    }

    func testErrorsNameTheFile() throws {
        let out = directory + "/e.h5"
        func fails(_ arguments: [String], _ expected: String, line: UInt = #line) throws {
            let result = try deeprankSeparately(arguments)
            XCTAssertEqual(result.status, 1, result.out, line: line)
            XCTAssertTrue(result.err.contains(expected), result.err, line: line)
            XCTAssertFalse(result.err.contains("Fatal error"), result.err, line: line)
        }
        try fails(["embed", runFile, "--method", "deep-rankin", images, "--out", out],
                  "\(runFile): no method or row 'deep-rankin'; did you mean 'deep-ranking'? (rows: hog, oasis-hog, "
                  + "deep-ranking, classifier-probabilities, classifier-penultimate)")
        try fails(["embed", directory + "/tiny.yaml", "--method", "hog", images, "--out", out],
                  "\(directory!)/tiny.yaml: not an HDF5 file")
        try fails(["embed", runFile, "--method", "hog", directory + "/nothing", "--out", out],
                  "\(directory!)/nothing: no such directory")
        try FileManager.default.createDirectory(atPath: directory + "/empty/sub", withIntermediateDirectories: true)
        try fails(["embed", runFile, "--method", "hog", directory + "/empty", "--out", out],
                  "\(directory!)/empty: no usable images (no .png, .jpg or .jpeg file at any depth)")
        try fails(["query", runFile, "--method", "hog", "--index", images, images + "/missing.png"],
                  "\(images)/missing.png: no such image file")

        let embed = try deeprankSeparately(["embed", runFile, "--method", "hog", images, "--out", out])
        XCTAssertEqual(embed.status, 0, embed.err)
        try fails(["embed", runFile, "--method", "hog", images, "--out", out], "\(out): already exists; give --overwrite")
        XCTAssertEqual(try deeprankSeparately(["embed", runFile, "--method", "hog", images, "--out", out, "--overwrite"]).status, 0)
        try fails(["embed", out, "--method", "hog", images, "--out", directory + "/f.h5"],
                  "\(out): not a run file (root attribute format is 'deeprank-embeddings', expected 'deeprank-run')")
        try fails(["query", runFile, "--method", "deep-ranking", "--index", out, images + "/rgb8.png"],
                  "\(out): holds row 'hog' of method 'hog', not row 'deep-ranking'")
    }

    /// An unreadable image stops `embed`, naming it; `--skip-unreadable` leaves it out with a warning.
    func testUnreadableImages() throws {
        let broken = images + "/gray/broken.jpg"
        try "not a JPEG".write(toFile: broken, atomically: true, encoding: .utf8)
        let out = directory + "/e.h5"
        let stopped = try deeprankSeparately(["embed", runFile, "--method", "deep-ranking", images, "--out", out])
        XCTAssertEqual(stopped.status, 1)
        XCTAssertTrue(stopped.err.hasPrefix("error: \(broken): not a PNG or JPEG file"), stopped.err)
        XCTAssertTrue(stopped.err.hasSuffix("(give --skip-unreadable to leave unreadable images out)\n"), stopped.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing is written")

        let skipped = try deeprankSeparately(["embed", runFile, "--method", "deep-ranking", images, "--out", out, "--skip-unreadable"])
        XCTAssertEqual(skipped.status, 0, skipped.err)
        XCTAssertTrue(skipped.err.hasPrefix("warning: \(broken): not a PNG or JPEG file"), skipped.err)
        XCTAssertTrue(skipped.out.contains(": 7 images of"), skipped.out)

        let query = try deeprankSeparately(["query", runFile, "--method", "deep-ranking", "--index", out, broken])
        XCTAssertEqual(query.status, 1)
        XCTAssertTrue(query.err.hasPrefix("error: \(broken): not a PNG or JPEG file"), query.err)
    }

    func testAFailedMethodHasNoModel() throws {
        let spec = directory + "/diverge.yaml"
        try Self.specText.replacingOccurrences(of: "steps: 2, batch_size: 4}", with: "steps: 4, batch_size: 4, learning_rate: 3.0e+38}")
            .write(toFile: spec, atomically: true, encoding: .utf8)
        let run = try deeprankSeparately(["run", spec, "--out", directory + "/diverged", "--threads", "1"])
        XCTAssertEqual(run.status, 0, run.out + run.err)
        let file = directory + "/diverged/seed-4.h5"
        for name in ["deep-ranking", "classifier-penultimate"] {
            let embed = try deeprankSeparately(["embed", file, "--method", name, images, "--out", directory + "/x.h5"])
            XCTAssertEqual(embed.status, 1, name)
            XCTAssertTrue(embed.err.contains("\(file): method '\(name.hasPrefix("classifier") ? "classifier" : name)' failed "
                                             + "in this run, so there is no trained model to use"), embed.err)
        }
    }
}
