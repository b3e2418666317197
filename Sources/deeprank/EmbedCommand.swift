import ArgumentParser
import DatasetKit
import Experiments
import Foundation
import TensorKit

/// `deeprank embed RUN.h5 --method NAME DIR --out E.h5` (issue 6, item 5): the vectors a
/// trained row gives every image of a folder, in an embeddings file (`EmbeddingFile`).
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed every PNG and JPEG image of a folder (recursively) with a trained method of a run file.",
        discussion: "Rebuilds the method of row NAME from RUN.h5 (with the methods it builds on, e.g. an OASIS "
            + "base), computes the vector of every image below DIR (sorted paths, hidden files skipped) with the "
            + "run's evaluation pipeline, and writes E.h5 atomically: /embeddings float32 [N, D], /paths, "
            + "/bilinear_weights for an OASIS row, and attributes naming the run, its weights digest, the row and "
            + "the comparison. NAME is a row or a method with one row (the classifier has two: give "
            + "<name>-probabilities or <name>-penultimate). An unreadable image stops the command, naming the "
            + "file, unless --skip-unreadable.")

    @Argument(help: "A run file written by `deeprank run`.")
    var runFile: String

    @Option(name: .customLong("method"), help: "The row (or single-row method) whose representation to compute.")
    var name: String

    @Argument(help: "The folder of images.")
    var folder: String

    @Option(name: .customLong("out"), help: "The embeddings file to write (HDF5).")
    var output: String

    @Flag(help: "Replace an existing output file.")
    var overwrite = false

    @Flag(name: .customLong("skip-unreadable"),
          help: "Leave out images that cannot be decoded, with a warning each, instead of stopping.")
    var skipUnreadable = false

    @Option(help: "Worker threads (the vectors do not depend on it).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        Parallel.configure(threads: threads)
        try reportingErrors {
            if !overwrite && FileManager.default.fileExists(atPath: output) {
                throw RunFileError.outputExists(file: output)
            }
            let model = try StoredModel(path: runFile, name: name)
            let embedding = try Embedding.embed(folder: folder, with: model, skipUnreadable: skipUnreadable,
                                                warn: printWarning)
            try EmbeddingFile.write(embedding, to: output)
            print("\(output): \(embedding.paths.count) images of \(folder) embedded with row \(model.row) of \(runFile) "
                  + "(\(embedding.dimension) values each, compared by \(embedding.comparison))")
        }
    }
}

/// Writes `line` to standard error.
func printWarning(_ line: String) {
    FileHandle.standardError.write(Data(("warning: " + line + "\n").utf8))
}

/// Runs `body`; an error (the library's errors name their file) is printed to standard
/// error and the command exits with status 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch {
        var message = "\(error)"
        if case DatasetError.unreadableImage = error {
            message += " (give --skip-unreadable to leave unreadable images out)"
        }
        FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
        throw ExitCode.failure
    }
}
