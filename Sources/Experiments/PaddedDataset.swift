import DatasetKit

/// A data set with its last image repeated until the count is a multiple of `multiple`
/// (`StoredModel.ranker`: full row blocks, so a vector depends on its image alone). The
/// repeated entries are copies of the last image in every respect.
struct PaddedDataset: ImageDataset {
    let base: any ImageDataset
    let count: Int

    init(_ base: any ImageDataset, toMultipleOf multiple: Int) {
        precondition(base.count > 0 && multiple > 0, "padding needs an image and a positive multiple")
        self.base = base
        count = (base.count + multiple - 1) / multiple * multiple
    }

    /// The index in `base` of entry `index`.
    private func original(_ index: Int) -> Int { min(index, base.count - 1) }

    var kind: String { base.kind }
    var categoryNames: [String] { base.categoryNames }
    func category(of index: Int) -> Int { base.category(of: original(index)) }
    func relevance(_ a: Int, _ b: Int) -> Float { base.relevance(original(a), original(b)) }
    func image(at index: Int) throws -> PlanarImage { try base.image(at: original(index)) }
    func identifier(of index: Int) -> String { base.identifier(of: original(index)) }
}
