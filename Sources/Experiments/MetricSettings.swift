/// The settings of the metrics beyond similarity precision (spec section `evaluation`; the
/// paper's evaluation metrics, README, "The paper in brief"): the K of Score-at-top-K, the
/// K's of Recall@K, and how many test images get their nearest neighbours stored for the
/// reports' retrieval grids.
public struct MetricSettings: Equatable, Sendable {
    /// `evaluation.top_k`: Score-at-top-K's K (the paper: 30).
    public var topK: Int
    /// `evaluation.recall_at`: the K's of Recall@K.
    public var recallAt: [Int]
    /// `evaluation.grid_queries`: test images whose neighbours every row stores.
    public var gridQueries: Int
    /// `evaluation.grid_neighbours`: neighbours stored per grid query.
    public var gridNeighbours: Int

    public init(topK: Int = 30, recallAt: [Int] = [1, 5, 10], gridQueries: Int = 6, gridNeighbours: Int = 8) {
        self.topK = topK; self.recallAt = recallAt; self.gridQueries = gridQueries; self.gridNeighbours = gridNeighbours
    }
}
