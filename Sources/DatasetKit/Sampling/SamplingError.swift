/// Why a relevance table, a triplet sampler, a hard-mining call or an evaluation-triplet
/// set could not be built. Every case names the parameter, index or image involved.
public enum SamplingError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A parameter outside its allowed range (`name = value`, and what is allowed).
    case invalidParameter(name: String, value: String, allowed: String)
    /// A dataset index outside `0..<count`, named by where it came from.
    case indexOutOfRange(source: String, index: Int, count: Int)
    /// The same dataset index twice where a set of images is expected.
    case duplicateIndex(source: String, index: Int)
    /// The dataset returned a relevance that is negative, NaN or infinite.
    case invalidRelevance(first: String, second: String, value: Float)
    /// No triplet can satisfy the sampling rules on these images.
    case noValidTriplet(reason: String)
    /// Fewer distinct evaluation triplets exist (or were found) than requested.
    case tooFewEvaluationTriplets(requested: Int, found: Int, reason: String)
    /// An evaluation triplet given with the dataset is not usable.
    case invalidProvidedTriplet(position: Int, triplet: Triplet, reason: String)
    /// Embeddings, labels or dimensions that do not fit together.
    case shapeMismatch(name: String, expected: String, got: String)

    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let allowed):
            return "sampling parameter \(name) = \(value) is invalid: \(allowed)"
        case .indexOutOfRange(let source, let index, let count):
            return "\(source): image index \(index) is outside 0..<\(count)"
        case .duplicateIndex(let source, let index):
            return "\(source): image index \(index) appears more than once"
        case .invalidRelevance(let first, let second, let value):
            return "relevance r(\(first), \(second)) = \(value) is not a finite non-negative number"
        case .noValidTriplet(let reason):
            return "no triplet satisfies the sampling rules: \(reason)"
        case .tooFewEvaluationTriplets(let requested, let found, let reason):
            return "requested \(requested) evaluation triplets, found \(found): \(reason)"
        case .invalidProvidedTriplet(let position, let triplet, let reason):
            return "provided evaluation triplet \(position + 1) "
                + "(\(triplet.query), \(triplet.positive), \(triplet.negative)): \(reason)"
        case .shapeMismatch(let name, let expected, let got):
            return "\(name): expected \(expected), got \(got)"
        }
    }
}
