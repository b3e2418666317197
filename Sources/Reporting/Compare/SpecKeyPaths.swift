import Yams

/// A spec's YAML as flat dotted key paths to scalar values, for `deeprank compare`:
/// mappings nest by key (`split.test_fraction`); a list of mappings that all have a scalar
/// `name` is addressed by name, like sweep keys (`methods.deep-ranking.steps`); other lists
/// of mappings by position (`methods.0.steps`); a list of scalars is one value written
/// `[a, b]`. Scalars are kept as written in the file.
public enum SpecKeyPaths {
    /// Throws when `text` is not YAML (the error says so; `file` names it).
    public static func flatten(_ text: String, file: String) throws -> [String: String] {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ReportError.invalidValue(file: file, path: "/spec", reason: "the stored spec is not YAML: \(error)")
        }
        var out: [String: String] = [:]
        if let node { add(node, at: "", into: &out) }
        return out
    }

    private static func add(_ node: Node, at key: String, into out: inout [String: String]) {
        func child(_ name: String) -> String { key.isEmpty ? name : key + "." + name }
        switch node {
        case .scalar(let scalar):
            out[key] = scalar.string
        case .mapping(let mapping):
            if mapping.count == 0 { out[key] = "{}" }
            for (k, v) in mapping { add(v, at: child(k.string ?? "\(k)"), into: &out) }
        case .sequence(let sequence):
            let items = Array(sequence)
            if items.allSatisfy({ if case .scalar = $0 { return true } else { return false } }) {
                out[key] = "[" + items.compactMap(\.string).joined(separator: ", ") + "]"
                return
            }
            let names = items.map { $0["name"]?.string }
            let byName = names.allSatisfy { $0 != nil } && Set(names.compactMap { $0 }).count == items.count
            for (i, item) in items.enumerated() { add(item, at: child(byName ? names[i]! : "\(i)"), into: &out) }
        case .alias:
            out[key] = "\(node)"
        }
    }
}
