/// A ranking triplet of dataset indices (the paper's ranking model; README, "The paper in
/// brief"): the query is meant to be closer to `positive` than to `negative`, i.e.
/// r(q, p) > r(q, n).
public struct Triplet: Hashable, Codable, Sendable {
    public var query: Int
    public var positive: Int
    public var negative: Int

    public init(query: Int, positive: Int, negative: Int) {
        self.query = query; self.positive = positive; self.negative = negative
    }
}
