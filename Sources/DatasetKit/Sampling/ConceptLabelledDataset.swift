/// The images of concept groups (`ConceptGroups`, normally of the training split) as a data
/// set of their own, each group one category: a labelled set for classifier pre-training
/// whose classes are the fine-grained concepts (for `icon-themes` with concept relevance 1,
/// one class per icon drawn by several themes) rather than the few broad categories.
///
/// Image k is the `k`-th image of the groups taken in order (group 0's images, then group
/// 1's, ...); its category is its group's index, named `<base category>/<first member's
/// identifier>`. Images, identifiers, origins and relevance are the base data set's. Only
/// the groups' images are in it, so pre-training on it sees no image outside the split the
/// groups were made from.
public struct ConceptLabelledDataset: ImageDataset {
    public let base: any ImageDataset
    /// Base index of each image.
    public let baseIndices: [Int]
    private let categories: [Int]
    public let categoryNames: [String]

    public init(base: any ImageDataset, groups: ConceptGroups) {
        self.base = base
        baseIndices = groups.groups.flatMap { $0 }
        categories = groups.groups.indices.flatMap { g in repeatElement(g, count: groups.groups[g].count) }
        categoryNames = groups.groups.map { group in
            base.categoryNames[base.category(of: group[0])] + "/" + base.identifier(of: group[0])
        }
    }

    public var kind: String { base.kind }
    public var count: Int { baseIndices.count }
    public func category(of index: Int) -> Int { categories[index] }
    public func relevance(_ a: Int, _ b: Int) -> Float { base.relevance(baseIndices[a], baseIndices[b]) }
    public func image(at index: Int) throws -> PlanarImage { try base.image(at: baseIndices[index]) }
    public func identifier(of index: Int) -> String { base.identifier(of: baseIndices[index]) }
    public func origin(of index: Int) -> String { base.origin(of: baseIndices[index]) }
}
