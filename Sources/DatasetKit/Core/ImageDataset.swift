/// A set of images with categories and graded pairwise relevance: the one interface the
/// samplers, the evaluation and every method see (the data sets: README, "Data").
///
/// Indices run over `0..<count`. Relevance `r(i, j)` (the paper's ranking model; README,
/// "The paper in brief") is symmetric, non-negative, and 0 across categories; `r(i, i)` is
/// not used.
public protocol ImageDataset: Sendable {
    /// The dataset kind as written in specs: `synthetic`, `image-folder`, `icon-themes`, `photo-crops`.
    var kind: String { get }
    /// Number of images.
    var count: Int { get }
    /// Category names; `category(of:)` indexes into this array.
    var categoryNames: [String] { get }
    /// The category of image `index`.
    func category(of index: Int) -> Int
    /// Graded relevance r(a, b) >= 0; 0 when the categories differ.
    func relevance(_ a: Int, _ b: Int) -> Float
    /// The image, as planes in [0, 1] at the dataset's native size.
    func image(at index: Int) throws -> PlanarImage
    /// A stable, human-readable identifier (a relative path, or a generator key); it goes
    /// into digests and reports, so it must not change between runs.
    func identifier(of index: Int) -> String
    /// Evaluation triplets shipped with the data (an image-folder CSV), if any.
    var providedEvaluationTriplets: [Triplet]? { get }
    /// What image `index` was made from, so that two data sets can be checked for shared
    /// pictures: images of one origin show the same picture or parts of it (the photo
    /// crops: their photograph). Default: the identifier.
    func origin(of index: Int) -> String
}

extension ImageDataset {
    public var providedEvaluationTriplets: [Triplet]? { nil }

    public func origin(of index: Int) -> String { identifier(of: index) }

    /// Indices of each category's images, in index order.
    public func membersByCategory() -> [[Int]] {
        var members = [[Int]](repeating: [], count: categoryNames.count)
        for i in 0..<count { members[category(of: i)].append(i) }
        return members
    }
}
