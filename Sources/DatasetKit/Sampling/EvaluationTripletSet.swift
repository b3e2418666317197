import Crypto

/// The triplets every method is scored on (the paper's evaluation triplets; README, "The
/// paper in brief"), with a digest that run files record so that two runs can prove they
/// used the same triplets on the same images.
/// `Triplet(query: Q, positive: A, negative: B)`: A is the more relevant to Q.
public struct EvaluationTripletSet: Equatable, Codable, Sendable {
    /// Where the triplets came from.
    public enum Source: String, Codable, Sendable {
        case generated, provided
    }

    /// The triplets, in scoring order (dataset indices).
    public let triplets: [Triplet]
    public let source: Source
    /// SHA-256 of `canonicalEncoding`, lowercase hex (64 characters).
    public let digest: String

    /// The set for `triplets` of `dataset`; the digest uses the dataset's identifiers.
    public init(triplets: [Triplet], source: Source, dataset: ImageDataset) {
        self.triplets = triplets
        self.source = source
        self.digest = EvaluationTripletSet.digest(of: triplets, identifier: dataset.identifier(of:))
    }

    /// Whether `digest` is the digest of `triplets` on `dataset` (a set read back from a
    /// run file stores its digest; this recomputes it).
    public func digestMatches(dataset: ImageDataset) -> Bool {
        digest == EvaluationTripletSet.digest(of: triplets, identifier: dataset.identifier(of:))
    }

    /// The bytes hashed into the digest, version 1: the UTF-8 header line
    /// `deeprank-evaluation-triplets 1 <count>\n`, then for each triplet in order and for
    /// each of Q, A, B one record `<index> <n>:<identifier>\n`, where `<index>` is the
    /// decimal dataset index and `<n>` the decimal UTF-8 byte count of the identifier
    /// (length-prefixed, so identifiers may hold any character). Any change of a
    /// triplet, of its order, of the order inside a triplet or of an identifier changes
    /// the bytes. The images' pixels are not hashed: the dataset's own digest covers them.
    public static func canonicalEncoding(of triplets: [Triplet], identifier: (Int) -> String) -> [UInt8] {
        var bytes = Array("deeprank-evaluation-triplets 1 \(triplets.count)\n".utf8)
        for triplet in triplets {
            for index in [triplet.query, triplet.positive, triplet.negative] {
                let name = Array(identifier(index).utf8)
                bytes += Array("\(index) \(name.count):".utf8)
                bytes += name
                bytes.append(UInt8(ascii: "\n"))
            }
        }
        return bytes
    }

    /// SHA-256 of the canonical encoding as lowercase hex.
    public static func digest(of triplets: [Triplet], identifier: (Int) -> String) -> String {
        SHA256.hash(data: canonicalEncoding(of: triplets, identifier: identifier))
            .map { byte in String(byte, radix: 16).leftPadded(to: 2) }.joined()
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
