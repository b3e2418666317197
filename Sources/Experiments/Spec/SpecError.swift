/// Why an experiment spec was rejected, with where: the file, the line and column of the
/// offending YAML node (1-based), the key path inside the spec (`methods[2].sampler.max_tries`),
/// the problem, and what is allowed.
///
/// `description` reads `path:line:column: key.path: problem (allowed: ...)`, the format
/// compilers use, so editors can jump to the spot.
public struct SpecError: Error, Equatable, CustomStringConvertible, Sendable {
    public var path: String
    public var line: Int
    public var column: Int
    /// Dotted path of the key, `[i]` for list items; empty for problems with the whole file.
    public var keyPath: String
    public var problem: String
    /// What the key accepts (a list of keys, of values, or a range); nil when not useful.
    public var allowed: String?
    /// The closest allowed key or value, when the problem is a misspelling.
    public var suggestion: String?

    public init(path: String, line: Int, column: Int, keyPath: String, problem: String,
                allowed: String? = nil, suggestion: String? = nil) {
        self.path = path; self.line = line; self.column = column; self.keyPath = keyPath
        self.problem = problem; self.allowed = allowed; self.suggestion = suggestion
    }

    public var description: String {
        var text = "\(path):\(line):\(column): "
        if !keyPath.isEmpty { text += keyPath + ": " }
        text += problem
        if let allowed { text += " (allowed: \(allowed))" }
        return text
    }
}

/// "Did you mean" for misspelt keys and enum values.
enum Suggestion {
    /// The allowed word closest to `word`: optimal-string-alignment (Damerau-Levenshtein)
    /// distance <= 2 after folding case and `-`/`_`, else the one sharing the longest
    /// common prefix of at least 4 characters (or containing `word` as a prefix, 3 or more).
    static func closest(to word: String, in allowed: [String]) -> String? {
        let folded = fold(word)
        var best: (word: String, distance: Int)?
        for candidate in allowed {
            let d = distance(folded, fold(candidate))
            if d <= 2, d < (best?.distance ?? .max) { best = (candidate, d) }
        }
        if let best { return best.word }
        var prefixBest: (word: String, length: Int)?
        for candidate in allowed {
            let c = fold(candidate)
            let common = zip(folded, c).prefix { $0 == $1 }.count
            let qualifies = common >= 4 || (common == folded.count && common >= 3)
            if qualifies, common > (prefixBest?.length ?? 0) { prefixBest = (candidate, common) }
        }
        return prefixBest?.word
    }

    private static func fold(_ s: String) -> [Character] {
        Array(s.lowercased().map { $0 == "_" ? "-" : $0 })
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and
    /// transpositions of adjacent characters cost 1.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
