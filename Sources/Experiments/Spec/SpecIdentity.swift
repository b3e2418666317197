import Yams

/// Whether two spec texts define the same experiment: the same YAML once comments, layout
/// and quoting are set aside, and apart from the free-text `description`. A run file of the
/// same experiment is kept (its seed skipped) or resumed (`SpecRunner`), so rewording a
/// comment or the description does not orphan finished runs. Everything else, however
/// small, is another experiment.
public enum SpecIdentity {
    public static func same(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let x = try? Yams.compose(yaml: a), let y = try? Yams.compose(yaml: b) else { return false }
        return withoutDescription(x) == withoutDescription(y)
    }

    /// The document with the top-level `description` key removed.
    private static func withoutDescription(_ node: Node?) -> Node? {
        guard case .mapping(var mapping)? = node else { return node }
        mapping[Node("description")] = nil
        return .mapping(mapping)
    }
}
