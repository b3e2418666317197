import Storage

/// The HDF5 layout of an embeddings file (`deeprank embed --out E.h5`), format version 1,
/// readable by h5py and h5dump:
///
///     /                   attrs format = "deeprank-embeddings", format_version = 1 (int64),
///                         run_file (as given), experiment, seed (uint64), method, row,
///                         weights_digest (the run's `/digests` weights), method_weights_digest
///                         (`weights.<method>`), comparison (`squared-l2`, `l1`, `l2`,
///                         `chi-square`, `bilinear`, `custom:<name>`), root (the folder as given)
///     /embeddings         float32 [N, D], row i for image paths[i]
///     /paths              the N image paths relative to root, newline-joined (UTF-8 string)
///     /bilinear_weights   float32 [D, D], W of similarity = a^T W b (comparison `bilinear` only)
///
/// Written atomically (`HDF5File.writeAtomically`): a reader never sees half a file.
public enum EmbeddingFile {
    public static let format = "deeprank-embeddings"
    public static let version: Int64 = 1

    public static func write(_ embedding: Embedding, to path: String) throws {
        try HDF5File.writeAtomically(to: path) { root in
            try root.setAttribute("format", to: format)
            try root.setAttribute("format_version", to: version)
            let source = embedding.source
            try root.setAttribute("run_file", to: source.runFile)
            try root.setAttribute("experiment", to: source.experiment)
            try root.setAttribute("seed", to: source.seed)
            try root.setAttribute("method", to: source.method)
            try root.setAttribute("row", to: source.row)
            try root.setAttribute("weights_digest", to: source.weightsDigest)
            try root.setAttribute("method_weights_digest", to: source.methodWeightsDigest)
            try root.setAttribute("comparison", to: embedding.comparison)
            try root.setAttribute("root", to: embedding.root)
            try root.write(embedding.vectors, shape: [embedding.paths.count, embedding.dimension], to: "embeddings")
            try root.write(string: embedding.paths.joined(separator: "\n"), to: "paths")
            if let weights = embedding.bilinearWeights {
                try root.write(weights, shape: [embedding.dimension, embedding.dimension], to: "bilinear_weights")
            }
        }
    }

    /// Reads an embeddings file; every error names the file (and the part of it).
    public static func read(_ path: String) throws -> Embedding {
        let file = try HDF5File(reading: path)
        let root = file.root
        func required<T>(_ where_: String, _ body: () throws -> T) throws -> T {
            do {
                return try body()
            } catch HDF5Error.notFound {
                throw EmbeddingError.invalid(file: path, path: where_, reason: "missing")
            }
        }
        let found = try root.hasAttribute("format") ? try root.stringAttribute("format") : nil
        guard found == format else {
            throw EmbeddingError.notAnEmbeddingFile(file: path, found: "root attribute format is "
                                                    + (found.map { "'\($0)'" } ?? "missing") + ", expected '\(format)'")
        }
        let foundVersion = try required("/ attribute format_version") { try root.attribute("format_version", as: Int64.self) }
        guard foundVersion == version else {
            throw EmbeddingError.notAnEmbeddingFile(file: path, found: "format version \(foundVersion); this program reads \(version)")
        }
        func text(_ name: String) throws -> String {
            try required("/ attribute \(name)") { try root.stringAttribute(name) }
        }
        let (vectors, shape) = try required("/embeddings") { try root.read(Float.self, from: "embeddings") }
        let joined = try required("/paths") { try root.readString(from: "paths") }
        let paths = joined.isEmpty ? [] : joined.components(separatedBy: "\n")
        guard shape.count == 2, shape[0] == paths.count, shape[0] > 0 else {
            throw EmbeddingError.invalid(file: path, path: "/embeddings",
                                         reason: "shape \(shape) is not [N, D] for the \(paths.count) paths")
        }
        let dimension = shape[1]
        let comparison = try text("comparison")
        var bilinear: [Float]?
        if comparison == "bilinear" {
            let (weights, weightShape) = try required("/bilinear_weights") { try root.read(Float.self, from: "bilinear_weights") }
            guard weightShape == [dimension, dimension] else {
                throw EmbeddingError.invalid(file: path, path: "/bilinear_weights",
                                             reason: "shape \(weightShape) is not [\(dimension), \(dimension)]")
            }
            bilinear = weights
        }
        let source = Embedding.Source(
            runFile: try text("run_file"), experiment: try text("experiment"),
            seed: try required("/ attribute seed") { try root.attribute("seed", as: UInt64.self) },
            method: try text("method"), row: try text("row"), weightsDigest: try text("weights_digest"),
            methodWeightsDigest: try text("method_weights_digest"))
        return Embedding(root: try text("root"), paths: paths, dimension: dimension, vectors: vectors,
                         comparison: comparison, bilinearWeights: bilinear, source: source)
    }
}
