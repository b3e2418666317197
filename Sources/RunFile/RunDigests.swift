import Crypto
import DatasetKit

/// SHA-256 digests of a run's values (never of file bytes), lowercase hex. Two runs of the
/// same spec and seed give the same digests, whatever the thread count (README,
/// "Determinism"); `replay` compares them.
///
/// Every digest hashes a canonical byte encoding, version 1. Strings are written
/// length-prefixed as `<n>:<UTF-8 bytes>` (`<n>` the decimal byte count), numbers in
/// decimal ASCII, float32 values as their little-endian IEEE-754 bytes:
/// - `weights`: `deeprank-weights 1\n`, then for every method in name order and every
///   array in name order `<method> <array> <rank> <d0> ... <dk>\n`, the values, `\n`.
///   `weights.<method>` is the same encoding over that method's arrays only.
/// - `metrics`: `deeprank-metrics 2\n`, then for every row in row-name order
///   `<method> <row> <precision> <T>\n`, the T outcomes, `\n`; then for every entry of
///   `RowRecord.metrics` in name order `<name> <value>\n`; then `<T>\n`, the T Score-at-K
///   contributions, `\n`; then `<G> <k>\n` and the neighbour indices as decimal, space-separated,
///   `\n`; then, only for a row with validation scores, `validation <precision> <V>\n`, the V
///   validation outcomes, `\n`, and its validation metrics as `<name> <value>\n` in name
///   order (a run without a validation part hashes as before). Every Double is the 16 hex
///   digits of its bit pattern. Training times are not hashed.
/// - `histories`: `deeprank-histories 1\n`, then for every method and series in name order
///   `<method> <series> <n>\n`, the values, `\n`.
/// - `dataset` (stored at `/dataset`): `deeprank-dataset 1 <kind> <count> <categories>\n`,
///   `category <c> <name>\n` for every category, then `<i> <category> <identifier>\n` for
///   every image in index order. Pixels are not hashed.
public struct RunDigests: Equatable, Sendable {
    public var weights: String
    public var metrics: String
    public var histories: String
    /// Method name -> the digest of its own weights.
    public var methodWeights: [String: String]

    public init(weights: String, metrics: String, histories: String, methodWeights: [String: String]) {
        self.weights = weights; self.metrics = metrics; self.histories = histories; self.methodWeights = methodWeights
    }

    /// The digests of `methods` (weights, histories) and `rows` (metrics).
    public init(methods: [MethodRecord], rows: [RowRecord]) {
        let sortedMethods = methods.sorted { $0.name < $1.name }
        var all = CanonicalHasher("deeprank-weights 1\n")
        var perMethod: [String: String] = [:]
        for method in sortedMethods {
            var own = CanonicalHasher("deeprank-weights 1\n")
            for array in method.weights.sorted(by: { $0.name < $1.name }) {
                all.array(array, of: method.name)
                own.array(array, of: method.name)
            }
            perMethod[method.name] = own.hex()
        }
        var histories = CanonicalHasher("deeprank-histories 1\n")
        for method in sortedMethods {
            for (series, values) in method.history.sorted(by: { $0.key < $1.key }) {
                histories.string(method.name); histories.text(" "); histories.string(series)
                histories.text(" \(values.count)\n"); histories.floats(values); histories.text("\n")
            }
        }
        var metrics = CanonicalHasher("deeprank-metrics 2\n")
        for row in rows.sorted(by: { $0.row < $1.row }) {
            metrics.string(row.method); metrics.text(" "); metrics.string(row.row)
            metrics.text(" " + Self.hexBits(row.similarityPrecision) + " \(row.outcomes.count)\n")
            metrics.floats(row.outcomes); metrics.text("\n")
            for (name, value) in row.metrics.sorted(by: { $0.key < $1.key }) {
                metrics.string(name); metrics.text(" " + Self.hexBits(value) + "\n")
            }
            metrics.text("\(row.scoreContributions.count)\n")
            metrics.floats(row.scoreContributions); metrics.text("\n")
            metrics.text("\(row.neighbours.count) \(row.neighbours.first?.count ?? 0)\n")
            metrics.text(row.neighbours.map { $0.map(String.init).joined(separator: " ") }.joined(separator: " ") + "\n")
            if let validation = row.validation {
                metrics.text("validation " + Self.hexBits(validation.similarityPrecision) + " \(validation.outcomes.count)\n")
                metrics.floats(validation.outcomes); metrics.text("\n")
                for (name, value) in validation.metrics.sorted(by: { $0.key < $1.key }) {
                    metrics.string(name); metrics.text(" " + Self.hexBits(value) + "\n")
                }
            }
        }
        self.init(weights: all.hex(), metrics: metrics.hex(), histories: histories.hex(), methodWeights: perMethod)
    }

    /// The 16 lowercase hex digits of a Double's bit pattern.
    static func hexBits(_ value: Double) -> String {
        let bits = String(value.bitPattern, radix: 16)
        return String(repeating: "0", count: 16 - bits.count) + bits
    }

    /// The digest of a data set's kind, categories and identifiers (see above).
    public static func dataset(kind: String, categoryNames: [String], categories: [Int],
                               identifiers: [String]) -> String {
        var hasher = CanonicalHasher("deeprank-dataset 1 ")
        hasher.string(kind)
        hasher.text(" \(identifiers.count) \(categoryNames.count)\n")
        for (c, name) in categoryNames.enumerated() {
            hasher.text("category \(c) "); hasher.string(name); hasher.text("\n")
        }
        for (i, identifier) in identifiers.enumerated() {
            hasher.text("\(i) \(categories[i]) "); hasher.string(identifier); hasher.text("\n")
        }
        return hasher.hex()
    }
}

/// SHA-256 over the canonical encoding, fed piece by piece (weights can be large).
struct CanonicalHasher {
    private var sha = SHA256()

    init(_ header: String) { text(header) }

    mutating func text(_ s: String) { sha.update(data: Array(s.utf8)) }

    /// `<n>:<bytes>`.
    mutating func string(_ s: String) {
        let bytes = Array(s.utf8)
        text("\(bytes.count):")
        sha.update(data: bytes)
    }

    /// Little-endian IEEE-754 float32 bytes.
    mutating func floats(_ values: [Float]) {
        #if _endian(little)
        values.withUnsafeBytes { sha.update(bufferPointer: $0) }
        #else
        values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { sha.update(bufferPointer: $0) }
        #endif
    }

    /// `<method> <array> <rank> <d0> ... <dk>\n`, the values, `\n`.
    mutating func array(_ array: NamedArray, of method: String) {
        string(method); text(" "); string(array.name)
        text(" \(array.shape.count)" + array.shape.map { " \($0)" }.joined() + "\n")
        floats(array.values); text("\n")
    }

    func hex() -> String {
        sha.finalize().map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }
}
