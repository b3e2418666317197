/// The result of an exhaustive top-k search (the evaluation's metrics rank every candidate
/// for every query; README, "The paper in brief"): for each of `queryCount` queries its `k`
/// best references, best first.
///
/// Layout: `ids` and `scores` are `[queryCount, k]`, row-major. A query with fewer than
/// `k` eligible references (small set, the query itself excluded, NaN scores) has its row
/// padded at the end with id -1 and score NaN.
///
/// What `ids` and `scores` hold depends on the search:
/// - `SquaredL2Index.search`: reference rows (0-based positions in the index) and squared
///   Euclidean distances, ascending;
/// - `NearestNeighbours.search(_ ranker: ...)`: dataset indices and the ranker's
///   similarities, descending.
///
/// Equal scores are ordered by the smaller reference (row or position in the candidate
/// list), so the list depends only on the data, never on the thread count.
public struct NeighbourList: Sendable, Equatable {
    public let queryCount: Int
    public let k: Int
    /// `[queryCount, k]`: reference ids, best first; -1 pads.
    public var ids: [Int]
    /// `[queryCount, k]`: the score of each neighbour; NaN pads.
    public var scores: [Float]

    public init(queryCount: Int, k: Int, ids: [Int], scores: [Float]) {
        precondition(ids.count == queryCount * k && scores.count == queryCount * k,
                     "\(ids.count) ids and \(scores.count) scores for \(queryCount) queries of \(k)")
        self.queryCount = queryCount
        self.k = k
        self.ids = ids
        self.scores = scores
    }

    /// The neighbours of query `query`, best first, without padding.
    public func neighbours(ofQuery query: Int) -> ArraySlice<Int> {
        let row = ids[(query * k)..<((query + 1) * k)]
        return row.prefix { $0 >= 0 }
    }

    /// The neighbours of every query, best first, without padding.
    public var rows: [[Int]] { (0..<queryCount).map { Array(neighbours(ofQuery: $0)) } }
}
