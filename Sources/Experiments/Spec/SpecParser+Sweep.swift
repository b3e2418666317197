import RunFile
import Yams

extension SpecParser {
    /// Top-level sections a sweep may change.
    static let sweepableSections = ["dataset", "split", "input", "evaluation", "methods"]

    /// `sweep: {key, values}`: each value is put at `key` in a copy of the document, and the
    /// copy is parsed like a spec of its own, so every variant is fully checked now.
    static func parseSweep(_ value: SpecValue, root: SpecValue, text: String, path: String,
                           weightsFiles: WeightsFileReading) throws -> SweepSpec {
        let map = try value.mapping(allowed: ["key", "values"])
        let keyNode = try map.required("key")
        let key = try keyNode.string()
        let segments = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let shape = "section.key... (methods by name: methods.<name>.<key>...)"
        guard !segments.contains(""), let section = segments.first else {
            throw keyNode.error("'\(key)' is not a dotted key path", allowed: shape)
        }
        guard sweepableSections.contains(section) else {
            let suggestion = Suggestion.closest(to: section, in: sweepableSections)
            throw keyNode.error("'\(section)' cannot be swept" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                                allowed: sweepableSections.joined(separator: ", "), suggestion: suggestion)
        }
        if section == "methods" {
            let names = (try? root.mapping(allowed: topLevelKeys)["methods"]?.list().compactMap {
                try? $0.peek("name")?.string()
            }) ?? []
            guard segments.count >= 3 else { throw keyNode.error("a method key needs a method name and a key", allowed: shape) }
            guard names.contains(segments[1]) else {
                let suggestion = Suggestion.closest(to: segments[1], in: names)
                throw keyNode.error("no method is named '\(segments[1])'"
                                        + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                                    allowed: names.joined(separator: ", "), suggestion: suggestion)
            }
            if segments[2] == "name" || segments[2] == "type" {
                throw keyNode.error("a sweep cannot change a method's \(segments[2])", allowed: "its other keys")
            }
        } else if segments.count < 2 {
            throw keyNode.error("a sweep sets one key inside '\(section)', not the whole section", allowed: shape)
        }
        if section == "dataset" && segments[1] == "kind" {
            throw keyNode.error("a sweep cannot change the dataset's kind", allowed: "its other keys")
        }

        var labels: [String] = []
        var variants: [ExperimentSpec] = []
        let items = try map.required("values").list(nonEmpty: true)
        let mappingLabels = Self.mappingLabels(items.map(\.node))
        for (i, item) in items.enumerated() {
            var label = mappingLabels[i] ?? "value-\(i)"
            if case .scalar(let s) = item.node { label = s.string }
            if labels.contains(label) { throw item.error("value '\(label)' is listed twice", allowed: "distinct values") }
            labels.append(label)
            let document = try substitute(root.node, at: segments[...], with: item.node, keyNode: keyNode, item: item)
            do {
                var variant = try parseDocument(SpecValue(node: document, keyPath: "", file: path), text: text, path: path,
                                                weightsFiles: weightsFiles)
                variant.sweepPoint = SweepPoint(key: key, label: label)
                variants.append(variant)
            } catch var error as SpecError {
                error.problem = "with \(key) = \(label) (sweep.values[\(i)]): " + error.problem
                throw error
            }
        }
        return SweepSpec(key: key, labels: labels, variants: variants)
    }

    /// Labels for mapping values with scalar entries (or lists of scalars, written `a-b`): the
    /// entries whose value differs between the values that have them (all entries when none
    /// differs, as for a single mapping beside scalars), as `key=value` joined by
    /// `,` (`kind=uniform,out_of_class_fraction=0`, `scale=0.5-1`); nil for others.
    static func mappingLabels(_ nodes: [Node]) -> [String?] {
        func text(_ value: Node) -> String? {
            if case .scalar(let v) = value { return v.string }
            guard case .sequence(let items) = value else { return nil }
            let scalars = items.compactMap { item -> String? in
                if case .scalar(let v) = item { return v.string } else { return nil }
            }
            return scalars.count == items.count && !items.isEmpty ? scalars.joined(separator: "-") : nil
        }
        let entries: [[(String, String)]?] = nodes.map { node in
            guard case .mapping(let map) = node else { return nil }
            var pairs: [(String, String)] = []
            for (key, value) in map {
                guard case .scalar(let k) = key, let v = text(value) else { return nil }
                pairs.append((k.string, v))
            }
            return pairs
        }
        let mappings = entries.compactMap { $0 }
        var keys: [String] = []
        for pairs in mappings { for (key, _) in pairs where !keys.contains(key) { keys.append(key) } }
        let differing = keys.filter { key in
            Set(mappings.compactMap { pairs in pairs.first { $0.0 == key }?.1 }).count > 1
        }
        let varying = differing.isEmpty ? keys : differing  // one mapping (beside scalars): all its entries
        return entries.map { pairs in
            guard let pairs else { return nil }
            let shown = varying.compactMap { key in pairs.first { $0.0 == key }.map { "\(key)=\($0.1)" } }
            return shown.isEmpty ? nil : shown.joined(separator: ",")
        }
    }

    /// `node` with `value` put at `segments` (methods addressed by name); missing mappings
    /// are created; a preset or sampler name becomes `{preset: ...}` / `{kind: ...}`.
    static func substitute(_ node: Node?, at segments: ArraySlice<String>, with value: Node,
                           keyNode: SpecValue, item: SpecValue, parentKey: String = "") throws -> Node {
        guard let segment = segments.first else { return value }
        let rest = segments.dropFirst()
        let mark = keyNode.node.mark
        if case .sequence(let seq)? = node {  // `methods`, addressed by name
            guard parentKey == "methods" else {
                throw keyNode.error("'\(parentKey)' is a list; a sweep key goes through mappings (and methods by name)")
            }
            var items = Array(seq)
            guard let i = items.firstIndex(where: { $0["name"]?.string == segment }) else {
                throw keyNode.error("no method is named '\(segment)'")
            }
            items[i] = try substitute(items[i], at: rest, with: value, keyNode: keyNode, item: item)
            return .sequence(Node.Sequence(items, seq.tag, seq.style, seq.mark))
        }
        var pairs: [(Node, Node)] = []
        var tag = Tag.implicit, style = Node.Mapping.Style.any
        var at = mark
        switch node {
        case .mapping(let map)?:
            pairs = map.map { ($0.key, $0.value) }
            tag = map.tag; style = map.style; at = map.mark
        case .scalar(let s)? where !SpecValue(node: node!, keyPath: "", file: "").isNull:
            let wrapped = ["network": "preset", "sampler": "kind"][parentKey]
            if let wrapped {
                pairs = [(.scalar(Node.Scalar(wrapped, .implicit, .any, s.mark)), node!)]
            } else if parentKey == "pretrain", (try? SpecValue(node: node!, keyPath: "", file: "").bool()) == true {
                pairs = []
            } else {
                throw keyNode.error("'\(parentKey)' holds a single value; a sweep cannot set a key inside it",
                                    allowed: "the key path of a mapping")
            }
        default:
            break
        }
        if let i = pairs.firstIndex(where: { $0.0.string == segment }) {
            pairs[i].1 = try substitute(pairs[i].1, at: rest, with: value, keyNode: keyNode, item: item, parentKey: segment)
        } else {
            pairs.append((.scalar(Node.Scalar(segment, .implicit, .any, mark)),
                          try substitute(nil, at: rest, with: value, keyNode: keyNode, item: item, parentKey: segment)))
        }
        return .mapping(Node.Mapping(pairs, tag, style, at))
    }
}
