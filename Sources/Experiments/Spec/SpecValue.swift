import Yams

/// One YAML node of a spec being read, with its key path, so that every typed read can
/// throw a `SpecError` naming the file, line, column and key.
struct SpecValue {
    let node: Node
    let keyPath: String
    let file: String
    /// Where to point when the node has no mark (nodes inserted by a sweep).
    let fallback: (line: Int, column: Int)

    init(node: Node, keyPath: String, file: String, fallback: (line: Int, column: Int) = (1, 1)) {
        self.node = node; self.keyPath = keyPath; self.file = file
        self.fallback = node.mark.map { ($0.line, $0.column) } ?? fallback
    }

    var line: Int { fallback.line }
    var column: Int { fallback.column }

    func error(_ problem: String, allowed: String? = nil, suggestion: String? = nil) -> SpecError {
        SpecError(path: file, line: line, column: column, keyPath: keyPath, problem: problem, allowed: allowed,
                  suggestion: suggestion)
    }

    func child(_ node: Node, keyPath: String) -> SpecValue {
        SpecValue(node: node, keyPath: keyPath, file: file, fallback: fallback)
    }

    /// The value of `key` in this mapping before its keys are checked (to read a `kind` or
    /// `type` that decides which keys are allowed); nil when absent or not a mapping.
    func peek(_ key: String) -> SpecValue? {
        guard case .mapping(let map) = node else { return nil }
        guard let (k, v) = map.first(where: { $0.key.string == key }) else { return nil }
        let at = k.mark.map { ($0.line, $0.column) } ?? fallback
        return SpecValue(node: v, keyPath: keyPath.isEmpty ? key : "\(keyPath).\(key)", file: file, fallback: at)
    }

    /// An empty mapping standing for an absent optional section `key` (all defaults).
    func empty(_ key: String) -> SpecValue {
        child(Node([] as [(Node, Node)]), keyPath: keyPath.isEmpty ? key : "\(keyPath).\(key)")
    }

    // MARK: - What the node is

    /// The scalar's resolved YAML type (int, float, bool, null, str, ...).
    private var tagName: Tag.Name { Tag.Name(rawValue: node.tag.rawValue) }

    var isNull: Bool {
        if case .scalar(let s) = node { return s.style == .plain && tagName == .null }
        return false
    }

    /// The scalar's text for messages (`'abc'`), or what kind of node it is.
    var described: String {
        switch node {
        case .scalar(let s):
            switch (s.style == .plain ? tagName : .str) {
            case .int: return "the integer \(s.string)"
            case .float: return "the number \(s.string)"
            case .bool: return "the boolean \(s.string)"
            case .null: return "an empty value"
            default: return "the string '\(s.string)'"
            }
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    private func wrongType(_ expected: String, allowed: String? = nil) -> SpecError {
        error("expected \(expected), got \(described)", allowed: allowed)
    }

    // MARK: - Scalars

    /// An integer in `range` (`allowed` describes it).
    func int(in range: ClosedRange<Int> = Int.min...Int.max, allowed: String? = nil) throws -> Int {
        guard case .scalar(let s) = node, s.style == .plain, tagName == .int else {
            throw wrongType("an integer", allowed: allowed)
        }
        guard let value = Int.construct(from: s) else { throw error("integer \(s.string) is too large", allowed: allowed) }
        guard range.contains(value) else { throw error("\(value) is out of range", allowed: allowed ?? "\(range)") }
        return value
    }

    /// A finite number (integers accepted) for which `valid` holds (`allowed` describes it).
    func double(allowed: String, where valid: (Double) -> Bool = { _ in true }) throws -> Double {
        guard case .scalar(let s) = node, s.style == .plain, tagName == .int || tagName == .float,
              let value = Double.construct(from: s) ?? Int.construct(from: s).map(Double.init) else {
            throw wrongType("a number", allowed: allowed)
        }
        guard value.isFinite, valid(value) else { throw error("\(s.string) is out of range", allowed: allowed) }
        return value
    }

    func float(allowed: String, where valid: (Double) -> Bool = { _ in true }) throws -> Float {
        Float(try double(allowed: allowed, where: valid))
    }

    func bool() throws -> Bool {
        guard case .scalar(let s) = node, s.style == .plain, tagName == .bool, let value = Bool.construct(from: s) else {
            throw wrongType("true or false")
        }
        return value
    }

    /// Any non-empty scalar's text (quoted or not: a theme may be called `yes`).
    func string() throws -> String {
        guard case .scalar(let s) = node, !isNull else { throw wrongType("a string") }
        return s.string
    }

    /// One of `options` by name, with a did-you-mean for a near miss.
    func choice<T>(_ options: KeyValuePairs<String, T>) throws -> T {
        try choice(pairs: options.map { ($0.key, $0.value) })
    }

    func choice<T>(pairs options: [(key: String, value: T)]) throws -> T {
        let names = options.map(\.key)
        guard case .scalar(let s) = node, !isNull else {
            throw wrongType("one of the names", allowed: names.joined(separator: ", "))
        }
        if let found = options.first(where: { $0.key == s.string }) { return found.value }
        let suggestion = Suggestion.closest(to: s.string, in: names)
        throw error("unknown value '\(s.string)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                    allowed: names.joined(separator: ", "), suggestion: suggestion)
    }

    // MARK: - Collections

    /// A mapping whose allowed keys depend on its `discriminator` (`kind`, `type`): the
    /// discriminator is required and must be one of `kinds`; the other keys must be those
    /// of its kind (after `leading`, keys every kind has). Returns the kind's name and the checked mapping.
    func kindedMapping(discriminator: String, kinds: [(key: String, value: [String])],
                       leading: [String] = []) throws -> (String, SpecMapping) {
        guard case .mapping = node else { throw wrongType("a mapping") }
        guard let d = peek(discriminator), !d.isNull else {
            var all = leading + [discriminator]
            for (_, keys) in kinds { all += keys.filter { !all.contains($0) } }
            let map = try mapping(allowed: all)  // a misspelt discriminator gets its did-you-mean here
            throw map.value.error("missing required key '\(discriminator)'",
                                  allowed: kinds.map(\.key).joined(separator: ", "))
        }
        let kind = try d.choice(pairs: kinds.map { ($0.key, $0.key) })
        let keys = kinds.first { $0.key == kind }!.value
        return (kind, try mapping(allowed: leading + [discriminator] + keys))
    }

    /// The items of a list, each with its `[i]` key path.
    func list(nonEmpty: Bool = false) throws -> [SpecValue] {
        guard case .sequence(let seq) = node else { throw wrongType("a list") }
        if nonEmpty && seq.isEmpty { throw error("the list is empty", allowed: "one or more items") }
        return seq.enumerated().map { child($1, keyPath: "\(keyPath)[\($0)]") }
    }

    /// The mapping, checked against `allowed` keys (unknown keys are errors).
    func mapping(allowed: [String]) throws -> SpecMapping {
        guard case .mapping(let map) = node else { throw wrongType("a mapping", allowed: "keys " + allowed.joined(separator: ", ")) }
        var entries: [SpecMapping.Entry] = []
        for (keyNode, valueNode) in map {
            let keyValue = child(keyNode, keyPath: keyPath)
            guard case .scalar(let k) = keyNode, !keyValue.isNull else {
                throw keyValue.error("a key must be a plain word, not \(keyValue.described)")
            }
            let path = keyPath.isEmpty ? k.string : "\(keyPath).\(k.string)"
            let keyAtPath = child(keyNode, keyPath: path)
            guard allowed.contains(k.string) else {
                let suggestion = Suggestion.closest(to: k.string, in: allowed)
                throw keyAtPath.error("unknown key" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                                      allowed: allowed.joined(separator: ", "), suggestion: suggestion)
            }
            entries.append(SpecMapping.Entry(key: k.string, keyNode: keyAtPath,
                                             value: SpecValue(node: valueNode, keyPath: path, file: file,
                                                              fallback: (keyAtPath.line, keyAtPath.column))))
        }
        return SpecMapping(value: self, entries: entries)
    }
}

/// A mapping whose keys were checked; typed reads with defaults.
struct SpecMapping {
    struct Entry {
        let key: String
        let keyNode: SpecValue
        let value: SpecValue
    }

    let value: SpecValue
    let entries: [Entry]

    func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// The value of `key`, nil when absent.
    subscript(key: String) -> SpecValue? { entries.first { $0.key == key }?.value }

    /// The value of `key`, nil when absent or explicitly empty (`key:` or `key: null`).
    func optional(_ key: String) -> SpecValue? {
        guard let v = self[key], !v.isNull else { return nil }
        return v
    }

    /// The key path a key of this mapping has.
    func path(_ key: String) -> String { value.keyPath.isEmpty ? key : "\(value.keyPath).\(key)" }

    func required(_ key: String) throws -> SpecValue {
        guard let v = self[key] else { throw value.error("missing required key '\(key)'") }
        guard !v.isNull else { throw v.error("'\(key)' needs a value") }
        return v
    }

    /// Where to report a problem about `key`: its value if present, else the mapping.
    func location(_ key: String) -> SpecValue { self[key] ?? value.child(value.node, keyPath: path(key)) }

    func int(_ key: String, default fallback: Int, in range: ClosedRange<Int>, allowed: String? = nil) throws -> Int {
        try optional(key)?.int(in: range, allowed: allowed ?? Self.describe(range)) ?? fallback
    }

    func double(_ key: String, default fallback: Double, allowed: String,
                where valid: (Double) -> Bool = { _ in true }) throws -> Double {
        try optional(key)?.double(allowed: allowed, where: valid) ?? fallback
    }

    func float(_ key: String, default fallback: Float, allowed: String,
               where valid: (Double) -> Bool = { _ in true }) throws -> Float {
        try optional(key)?.float(allowed: allowed, where: valid) ?? fallback
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        try optional(key)?.bool() ?? fallback
    }

    func choice<T>(_ key: String, default fallback: T, _ options: KeyValuePairs<String, T>) throws -> T {
        try optional(key)?.choice(options) ?? fallback
    }

    /// A list of numbers.
    func floats(_ key: String, default fallback: [Float], allowed: String,
                where valid: (Double) -> Bool = { _ in true }) throws -> [Float] {
        guard let v = optional(key) else { return fallback }
        return try v.list().map { try $0.float(allowed: allowed, where: valid) }
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        switch (range.lowerBound, range.upperBound) {
        case (Int.min, Int.max): return "an integer"
        case (let low, Int.max): return "an integer >= \(low)"
        case (Int.min, let high): return "an integer <= \(high)"
        case (let low, let high): return "an integer in \(low)...\(high)"
        }
    }
}
