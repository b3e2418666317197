import ArgumentParser
import Experiments
import Foundation
import RunFile

/// `deeprank embed RUN.h5 --method NAME DIR --out E.h5` (README, "Using a model"): the
/// vectors a trained row gives every image of a folder, in an embeddings file
/// (`EmbeddingFile`).
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

    @OptionGroup var row: StoredRowOptions

    @Argument(help: "The folder of images.")
    var folder: String

    @Option(name: .customLong("out"), help: "The embeddings file to write (HDF5).")
    var output: String

    @Flag(help: "Replace an existing output file.")
    var overwrite = false

    @OptionGroup var isa: ISAOption

    func run() throws {
        isa.apply()
        try reportingErrors {
            if !overwrite && FileManager.default.fileExists(atPath: output) {
                throw RunFileError.outputExists(file: output)
            }
            let model = try row.model()
            let embedding = try Embedding.embed(folder: folder, with: model, skipUnreadable: row.skipUnreadable,
                                                warn: printWarning)
            try EmbeddingFile.write(embedding, to: output)
            print("\(output): \(embedding.paths.count) images of \(folder) embedded with row \(model.row) of \(row.runFile) "
                  + "(\(embedding.dimension) values each, compared by \(embedding.comparison))")
        }
    }
}
