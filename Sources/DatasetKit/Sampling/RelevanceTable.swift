import TensorKit

/// Pairwise relevance inside each category of a subset of a dataset, normally the
/// training split, with each image's total relevance (the paper's section "Triplet
/// Sampling" draws queries by it; README, "The paper in brief"):
///
///     r_i = sum over j in the subset, category(j) == category(i), j != i, of r(i, j)
///
/// Images are addressed either by dataset index or by *member* `(category, slot)`, where
/// `slot` is the position in `members[category]` (the subset's images of that category in
/// ascending dataset index, so the order of the subset as given does not matter).
///
/// Storage is dense per category: `n_c * n_c` Float32 for category c, so the table holds
/// `4 * sum_c n_c^2` bytes (10 categories of 1,000 images: 40 MB). Relevance is read once
/// per unordered pair, `dataset.relevance(a, b)` with a < b, and mirrored: the protocol
/// promises symmetry. Totals are summed in Double in slot order.
public struct RelevanceTable: Sendable {
    /// The subset's dataset indices grouped by category (`categoryNames` order), each
    /// group ascending. Categories without images in the subset are empty.
    public let members: [[Int]]
    /// Total relevance r_i of each member, `totalRelevance[c][slot]`.
    public let totalRelevance: [[Double]]
    /// Category c's relevance matrix, row-major `[n_c, n_c]`, diagonal 0.
    private let pairwise: [[Float]]
    /// Per dataset index: its category, or -1 when it is not in the subset.
    private let categoryOfIndex: [Int]
    /// Per dataset index: its slot in `members[category]`.
    private let slotOfIndex: [Int]
    /// All members, category after category: `members[c]` is
    /// `flatMembers[blockStart[c]..<blockStart[c + 1]]`.
    let flatMembers: [Int]
    let blockStart: [Int]

    /// The table for `subset` (dataset indices; typically `DatasetSplit.train`).
    /// Throws when an index is out of range or repeated, or when the dataset returns a
    /// negative or non-finite relevance.
    public init(dataset: ImageDataset, subset: [Int]) throws(SamplingError) {
        let categories = dataset.categoryNames.count
        var members = [[Int]](repeating: [], count: categories)
        var categoryOfIndex = [Int](repeating: -1, count: dataset.count)
        for index in subset {
            guard index >= 0 && index < dataset.count else {
                throw .indexOutOfRange(source: "relevance table subset", index: index, count: dataset.count)
            }
            guard categoryOfIndex[index] < 0 else {
                throw .duplicateIndex(source: "relevance table subset", index: index)
            }
            let c = dataset.category(of: index)
            guard c >= 0 && c < categories else {
                throw .invalidParameter(name: "category(of: \(dataset.identifier(of: index)))", value: "\(c)",
                                        allowed: "a category in 0..<\(categories)")
            }
            categoryOfIndex[index] = c
            members[c].append(index)
        }
        var slotOfIndex = [Int](repeating: -1, count: dataset.count)
        var pairwise: [[Float]] = []
        var totals: [[Double]] = []
        for c in 0..<categories {
            members[c].sort()
            let group = members[c], n = group.count
            for (slot, index) in group.enumerated() { slotOfIndex[index] = slot }
            var matrix = [Float](repeating: 0, count: n * n)
            for a in 0..<n {
                for b in (a + 1)..<n {
                    let r = dataset.relevance(group[a], group[b])
                    guard r.isFinite && r >= 0 else {
                        throw .invalidRelevance(first: dataset.identifier(of: group[a]),
                                                second: dataset.identifier(of: group[b]), value: r)
                    }
                    matrix[a * n + b] = r
                    matrix[b * n + a] = r
                }
            }
            var total = [Double](repeating: 0, count: n)
            for a in 0..<n {
                var sum = 0.0
                for b in 0..<n where b != a { sum += Double(matrix[a * n + b]) }
                total[a] = sum
            }
            pairwise.append(matrix)
            totals.append(total)
        }
        self.members = members
        self.totalRelevance = totals
        self.pairwise = pairwise
        self.categoryOfIndex = categoryOfIndex
        self.slotOfIndex = slotOfIndex
        self.flatMembers = members.flatMap { $0 }
        var starts = [0]
        for group in members { starts.append(starts.last! + group.count) }
        self.blockStart = starts
    }

    /// Number of categories of the dataset (including those empty in the subset).
    public var categoryCount: Int { members.count }

    /// Number of images in the subset.
    public var memberCount: Int { flatMembers.count }

    /// Whether dataset index `index` is in the subset.
    public func contains(_ index: Int) -> Bool {
        index >= 0 && index < categoryOfIndex.count && categoryOfIndex[index] >= 0
    }

    /// The `(category, slot)` of a dataset index in the subset, or nil.
    public func member(of index: Int) -> (category: Int, slot: Int)? {
        contains(index) ? (categoryOfIndex[index], slotOfIndex[index]) : nil
    }

    /// r between two members of category `category`, by slot; 0 when `a == b`.
    public func relevance(category: Int, _ a: Int, _ b: Int) -> Float {
        pairwise[category][a * members[category].count + b]
    }

    /// r(i, j) for dataset indices in the subset: 0 across categories and for i == j.
    public func relevance(_ i: Int, _ j: Int) -> Float {
        guard let (ci, a) = member(of: i), let (cj, b) = member(of: j), ci == cj else { return 0 }
        return relevance(category: ci, a, b)
    }

    /// The relevance of member `slot` of `category` to every member of its category,
    /// indexed by slot (`n_c` values, 0 at `slot` itself). A copy: for set-up, not draws.
    public func relevanceRow(category: Int, _ slot: Int) -> [Float] {
        let n = members[category].count
        return Array(pairwise[category][(slot * n)..<(slot * n + n)])
    }

    /// Number of subset images outside `category`.
    func outOfClassCount(category: Int) -> Int {
        memberCount - members[category].count
    }

    /// A dataset index drawn uniformly from the members of every category but `category`
    /// (one `nextInt(below:)`); the caller makes sure there is one (`outOfClassCount > 0`).
    func drawOutOfClass(category: Int, _ stream: inout RandomStream) -> Int {
        let n = members[category].count
        var k = stream.nextInt(below: flatMembers.count - n)
        if k >= blockStart[category] { k += n }
        return flatMembers[k]
    }

    /// The `(category, slot)` of position `k` of `flatMembers` (binary search, O(log C)).
    func locate(flat k: Int) -> (category: Int, slot: Int) {
        var low = 0, high = members.count - 1
        while low < high {  // the largest c with blockStart[c] <= k
            let mid = (low + high + 1) / 2
            if blockStart[mid] <= k { low = mid } else { high = mid - 1 }
        }
        return (low, k - blockStart[low])
    }
}
