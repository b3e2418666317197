import TensorKit

/// The training images grouped by concept, for batches of P groups of K images (the "PK"
/// batches of Hermans, Beyer and Leibe 2017, "In Defense of the Triplet Loss") from which
/// `OnlineHardMining` mines triplets: beyond the paper, which samples every triplet by
/// relevance alone.
///
/// A concept is the category, or, with a `conceptRelevance` t, finer: inside a category,
/// images a and b share a concept when a chain of pairs with r >= t joins them (connected
/// components of the graph of such pairs). For `icon-themes`, t = 1 groups one icon drawn by
/// several themes (r = 1) apart from the other icons of its context (r = 0.1). Only
/// groups of two or more images are kept (a group of one has no positive); they are
/// ordered by category, then by their smallest dataset index, and each lists its images
/// in ascending dataset index.
public struct ConceptGroups: Sendable {
    /// The groups' dataset indices.
    public let groups: [[Int]]

    /// The groups of the table's images (normally the training split). Throws when fewer
    /// than two groups have two or more images (a batch then has no negative), or when
    /// `conceptRelevance` is not a finite number > 0.
    public init(table: RelevanceTable, conceptRelevance: Float? = nil) throws(SamplingError) {
        if let t = conceptRelevance, !(t > 0 && t.isFinite) {
            throw .invalidParameter(name: "conceptRelevance", value: "\(t)", allowed: "a finite number > 0")
        }
        var groups: [[Int]] = []
        for c in 0..<table.categoryCount {
            let members = table.members[c]
            guard let t = conceptRelevance else {
                groups.append(members)
                continue
            }
            // Union-find over slots; each component is represented by its smallest slot.
            var parent = Array(members.indices)
            func root(_ a: Int) -> Int {
                var a = a
                while parent[a] != a { a = parent[a] }
                return a
            }
            for a in members.indices {
                for b in (a + 1)..<members.count where table.relevance(category: c, a, b) >= t {
                    let (ra, rb) = (root(a), root(b))
                    if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
                }
            }
            var byRoot: [Int: [Int]] = [:]
            for slot in members.indices { byRoot[root(slot), default: []].append(members[slot]) }
            groups += byRoot.keys.sorted().map { byRoot[$0]! }
        }
        self.groups = groups.filter { $0.count >= 2 }
        guard self.groups.count >= 2 else {
            throw .noValidTriplet(reason: "hard mining needs two or more concept groups of two or more images; "
                + "the \(table.memberCount) images give \(self.groups.count)"
                + (conceptRelevance.map { " with concept relevance \($0)" } ?? " (one per category)"))
        }
    }

    /// A batch of `p` distinct groups, uniformly without replacement, and `k` images of
    /// each, group after group: images `[p * k]` (dataset indices) and labels `[p * k]`
    /// (each image's group, an index into `groups`). A group of at least `k` images gives
    /// `k` distinct ones; a smaller group gives all of its images, then the rest drawn
    /// uniformly from it with replacement. Draws, from `stream` in this order: the groups
    /// (`p` draws of a partial Fisher-Yates shuffle of the group positions), then per group
    /// its images (`min(k, n)` partial Fisher-Yates draws, then `k - n` `nextInt(below: n)`).
    /// Precondition: `2 <= p <= groups.count`, `k >= 2`.
    public func draw(groups p: Int, perGroup k: Int, stream: inout RandomStream) -> (images: [Int], labels: [Int]) {
        precondition(p >= 2 && p <= groups.count && k >= 2, "a batch of \(p) of \(groups.count) groups, \(k) images each")
        var order = Array(groups.indices)
        Self.partialShuffle(&order, first: p, stream: &stream)
        var images: [Int] = [], labels: [Int] = []
        images.reserveCapacity(p * k); labels.reserveCapacity(p * k)
        for g in order.prefix(p) {
            var members = groups[g]
            let distinct = min(k, members.count)
            Self.partialShuffle(&members, first: distinct, stream: &stream)
            images += members.prefix(distinct)
            for _ in distinct..<k { images.append(members[stream.nextInt(below: members.count)]) }
            labels += repeatElement(g, count: k)
        }
        return (images, labels)
    }

    /// Puts a uniform random choice of `first` elements, in random order, at the front:
    /// for i < first, swap element i with element `i + nextInt(below: count - i)`.
    static func partialShuffle(_ array: inout [Int], first: Int, stream: inout RandomStream) {
        for i in 0..<first { array.swapAt(i, i + stream.nextInt(below: array.count - i)) }
    }
}
