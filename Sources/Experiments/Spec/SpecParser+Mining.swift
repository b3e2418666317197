import Methods
import Yams

/// `mining` of a deep-ranking method: online hard mining, beyond the paper (`HardMining`).
extension SpecParser {
    static let miningKeys = ["kind", "groups", "per_group", "mix", "concept_relevance"]

    /// `mining`: absent, null or false for none; a kind name (`semi-hard`, `batch-hard`)
    /// for the defaults; or a mapping `{kind, groups, per_group, mix, concept_relevance}`.
    static func parseMining(_ map: SpecMapping) throws -> HardMining? {
        guard let value = map.optional("mining") else { return nil }
        let kinds = HardMining.Kind.allCases.map { (key: $0.rawValue, value: Array(miningKeys.dropFirst())) }
        let kindName: String
        let settings: SpecMapping
        if case .mapping = value.node {
            (kindName, settings) = try value.kindedMapping(discriminator: "kind", kinds: kinds)
        } else {
            if case .scalar = value.node, (try? value.bool()) == false { return nil }
            kindName = try value.choice(pairs: kinds.map { ($0.key, $0.key) })
            settings = try value.child(Node([] as [(Node, Node)]), keyPath: value.keyPath).mapping(allowed: [])
        }
        return HardMining(
            kind: HardMining.Kind(rawValue: kindName)!,
            groups: try settings.int("groups", default: SpecDefaults.miningGroups, in: 2...Int.max,
                                     allowed: "an integer >= 2 (negatives come from the other groups)"),
            perGroup: try settings.int("per_group", default: SpecDefaults.miningPerGroup, in: 2...Int.max,
                                       allowed: "an integer >= 2 (positives come from the same group)"),
            mix: try settings.float("mix", default: SpecDefaults.miningMix,
                                    allowed: "a fraction in [0, 1): the sampler's share of the loss") { $0 >= 0 && $0 < 1 },
            conceptRelevance: try settings.optional("concept_relevance")?.float(
                allowed: "a relevance > 0: images joined by pairs with r >= it are one concept") { $0 > 0 && $0.isFinite })
    }
}
