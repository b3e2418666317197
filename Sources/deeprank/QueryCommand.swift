import ArgumentParser
import Experiments
import Foundation

/// `deeprank query RUN.h5 --method NAME --index DIR|E.h5 IMAGE [-k 10]` (README, "Using a
/// model"): the images of an index most similar to IMAGE under a trained row, by exhaustive
/// search.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Print the images of an index most similar to an image, under a trained method of a run file.",
        discussion: "The index is a folder, embedded now as `deeprank embed` does, or an embeddings file written by "
            + "`deeprank embed` with the same run and row. IMAGE is embedded with the rebuilt method and compared "
            + "with every image of the index by the row's comparison (the similarity the run's evaluation ranks by); "
            + "prints rank, distance (or bilinear similarity for an OASIS row) and path, best first.")

    @OptionGroup var row: StoredRowOptions

    @Option(help: "A folder of images, or an embeddings file (.h5) written by `deeprank embed`.")
    var index: String

    @Argument(help: "The image to query with (PNG or JPEG).")
    var image: String

    @Option(name: [.customShort("k"), .long], help: "How many images to print.")
    var k: Int = 10

    @OptionGroup var isa: ISAOption

    func validate() throws {
        if k < 1 { throw ValidationError("-k must be at least 1") }
    }

    func run() throws {
        isa.apply()
        try reportingErrors {
            let model = try row.model()
            let embedding = try Embedding.index(at: index, model: model, skipUnreadable: row.skipUnreadable,
                                                warn: printWarning)
            let neighbours = try embedding.nearest(toImage: image, model: model, k: k)
            let isDistance = embedding.comparison != "bilinear"
            print("\(image): \(neighbours.count) nearest of \(embedding.paths.count) images in \(index) "
                  + "(row \(model.row) of \(row.runFile), \(embedding.comparison) \(isDistance ? "distance" : "similarity"))")
            print("rank  \(isDistance ? "distance  " : "similarity")  path")
            for n in neighbours {
                let value = String(format: "%.6g", isDistance ? -n.similarity : n.similarity)
                let padding = String(repeating: " ", count: max(0, 10 - value.count))
                print(String(format: "%4d", n.rank) + "  " + value + padding + "  " + n.path)
            }
        }
    }
}
