/// The image-folder CSV files (read by `CSVReader`: quotes, CRLF, BOM, blank lines).
///
/// Relevance CSV, one pair per record: `a,b,score`, where `a` and `b` are image paths
/// relative to the root (identifiers, e.g. `cats/001.png`, matched exactly) and `score` a
/// finite number >= 0. The pair is unordered: `a,b` also sets r(b, a), and listing a
/// pair twice (in either order) is an error. Both images must be in the same category
/// unless the score is 0, since r is 0 across categories (as in the paper's ranking model).
/// `a` and `b` must differ. Pairs not listed keep the defaults (1 inside a category).
///
/// Evaluation-triplet CSV, one triplet per record: `query,positive,negative`, the same
/// path convention; the three images must differ; at least one triplet is required.
/// The triplets are used as given (they are human judgements and are not checked
/// against the relevance).
///
/// Both files may start with a header record (`a,b,score` or `query,positive,negative`,
/// any case), which is skipped.
extension ImageFolderDataset {
    static let relevanceHeader = ["a", "b", "score"]
    static let tripletsHeader = ["query", "positive", "negative"]

    static func readRelevance(path: String, index: [String: Int], categories: [Int]) throws -> [ImagePair: Float] {
        var scores: [ImagePair: Float] = [:]
        var lineOfPair: [ImagePair: Int] = [:]
        for record in try dataRecords(path: path, header: relevanceHeader) {
            let ids = try images(record.fields.prefix(2), record: record, path: path, index: index)
            let score = try Self.score(record.fields[2], line: record.line, path: path)
            guard ids[0] != ids[1] else {
                throw DatasetError.badCSV(path: path, line: record.line, reason: "'\(record.fields[0])' is paired with itself")
            }
            let pair = ImagePair(ids[0], ids[1])
            if let previous = lineOfPair[pair] {
                throw DatasetError.badCSV(path: path, line: record.line,
                                          reason: "the pair (\(record.fields[0]), \(record.fields[1])) is already given on line \(previous)")
            }
            if categories[ids[0]] != categories[ids[1]] {
                guard score == 0 else {
                    throw DatasetError.badCSV(path: path, line: record.line,
                                              reason: "score \(record.fields[2]) for images of different categories; relevance across categories is 0")
                }
                lineOfPair[pair] = record.line
                continue
            }
            scores[pair] = score
            lineOfPair[pair] = record.line
        }
        return scores
    }

    static func readTriplets(path: String, index: [String: Int]) throws -> [Triplet] {
        var triplets: [Triplet] = []
        for record in try dataRecords(path: path, header: tripletsHeader) {
            let ids = try images(record.fields[...], record: record, path: path, index: index)
            guard Set(ids).count == 3 else {
                throw DatasetError.badCSV(path: path, line: record.line, reason: "query, positive and negative must be three different images")
            }
            triplets.append(Triplet(query: ids[0], positive: ids[1], negative: ids[2]))
        }
        guard !triplets.isEmpty else {
            throw DatasetError.badCSV(path: path, line: 0, reason: "no triplets (expected records query,positive,negative)")
        }
        return triplets
    }

    /// The records after an optional header, each checked to have as many fields as the header.
    private static func dataRecords(path: String, header: [String]) throws -> ArraySlice<CSVRecord> {
        var records = try CSVReader.read(path: path)[...]
        if let first = records.first, first.fields.map({ $0.lowercased() }) == header { records.removeFirst() }
        for record in records where record.fields.count != header.count {
            throw DatasetError.badCSV(path: path, line: record.line,
                                      reason: "\(record.fields.count) fields; expected \(header.count) (\(header.joined(separator: ",")))")
        }
        return records
    }

    private static func images(_ names: ArraySlice<String>, record: CSVRecord, path: String, index: [String: Int]) throws -> [Int] {
        try names.map { name in
            guard let id = index[name] else { throw DatasetError.unknownImage(path: path, line: record.line, name: name) }
            return id
        }
    }

    private static func score(_ text: String, line: Int, path: String) throws -> Float {
        guard let score = Float(text), score.isFinite, score >= 0 else {
            throw DatasetError.badCSV(path: path, line: line, reason: "score '\(text)' is not a finite number >= 0")
        }
        return score
    }
}
