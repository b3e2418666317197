/// Why a trained model could not be rebuilt from its run file, or used to embed or query
/// images (`deeprank embed`, `deeprank query`). Every case names the file.
public enum EmbeddingError: Error, Equatable, CustomStringConvertible {
    /// `name` is neither a row nor a method of the run; `rows` lists the rows there are and
    /// `suggestion` the closest one.
    case unknownRow(file: String, name: String, rows: [String], suggestion: String?)
    /// `method` contributes several rows; the row must be named.
    case ambiguousMethod(file: String, method: String, rows: [String])
    /// `method` stopped with an error in the run (status `failed`), so there is no trained
    /// model; `requiredBy` is the method asked for when `method` is its base.
    case methodFailed(file: String, method: String, reason: String, requiredBy: String?)
    /// A method's stored arrays do not rebuild it (`SimilarityMethod.restore` refused them).
    case cannotRestore(file: String, method: String, reason: String)
    /// The rebuilt method could not represent the images (`SimilarityMethod.rankers` threw).
    case cannotEmbed(file: String, method: String, reason: String)
    /// The image to query with is missing or not a file.
    case missingImage(path: String)
    /// The HDF5 file is not an embeddings file (`format` attribute), or another version.
    case notAnEmbeddingFile(file: String, found: String)
    /// Something in an embeddings file is missing or does not fit.
    case invalid(file: String, path: String, reason: String)
    /// An embeddings file made with another run or row than the query uses.
    case indexMismatch(file: String, reason: String)
    /// The query and the index vectors have different lengths.
    case dimensionMismatch(file: String, index: Int, query: Int)

    public var description: String {
        switch self {
        case .unknownRow(let file, let name, let rows, let suggestion):
            return "\(file): no method or row '\(name)'"
                + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                + " (rows: \(rows.joined(separator: ", ")))"
        case .ambiguousMethod(let file, let method, let rows):
            return "\(file): method '\(method)' has \(rows.count) rows; give one of them to --method: "
                + rows.joined(separator: ", ")
        case .methodFailed(let file, let method, let reason, let requiredBy):
            let prefix = requiredBy.map { "'\($0)' builds on '\(method)', which" } ?? "method '\(method)'"
            return "\(file): \(prefix) failed in this run, so there is no trained model to use (\(reason))"
        case .cannotRestore(let file, let method, let reason):
            return "\(file): method '\(method)' cannot be rebuilt from its stored weights: \(reason)"
        case .cannotEmbed(let file, let method, let reason):
            return "\(file): method '\(method)' could not represent the images: \(reason)"
        case .missingImage(let path):
            return "\(path): no such image file"
        case .notAnEmbeddingFile(let file, let found):
            return "\(file): not an embeddings file written by `deeprank embed` (\(found))"
        case .invalid(let file, let path, let reason):
            return "\(file): \(path): \(reason)"
        case .indexMismatch(let file, let reason):
            return "\(file): \(reason)"
        case .dimensionMismatch(let file, let index, let query):
            return "\(file): the index vectors have \(index) values and the query's \(query)"
        }
    }
}
