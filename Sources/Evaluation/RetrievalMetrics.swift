/// The retrieval metrics of deep metric learning (Musgrave et al., "A Metric Learning
/// Reality Check", 2020; pytorch-metric-learning's AccuracyCalculator; README, "The paper
/// in brief") over a labelled set in which every image is a query and the others are its
/// candidates.
///
/// For a query with label y, R = the number of *other* images labelled y, and the
/// ranked list is all other images, most similar first:
/// - Precision@1: 1 if the first is labelled y;
/// - Recall@K: 1 if at least one of the first K is labelled y (the deep metric learning
///   papers' Recall@K, not a fraction of the R relevant);
/// - R-Precision: (number labelled y among the first R) / R;
/// - MAP@R: (1/R) sum_{i=1..R} P(i) rel(i), rel(i) = 1 if the i-th is labelled y,
///   P(i) = precision among the first i.
/// Each metric is the mean over the queries with R >= 1; a query alone in its class
/// can never hit and is skipped by all of them, as pytorch-metric-learning skips its
/// "lone query labels". With no such query every mean is NaN.
public struct RetrievalMetrics: Sendable, Equatable {
    public var precisionAt1: Double
    /// Keyed by K.
    public var recallAtK: [Int: Double]
    public var rPrecision: Double
    public var mapAtR: Double
    /// The queries with R >= 1 (positions in the labelled set, ascending): the entries of
    /// the per-query arrays.
    public var countedQueries: [Int]
    /// `[countedQueries.count]`: R-Precision of each counted query.
    public var rPrecisionPerQuery: [Double]
    /// `[countedQueries.count]`: MAP@R of each counted query.
    public var mapAtRPerQuery: [Double]

    /// The ranked list length needed for these metrics: the largest R, or the largest K.
    public static func listLength(labels: [Int], recallKs: [Int]) -> Int {
        max(1, (classSizes(labels).values.max() ?? 1) - 1, recallKs.max() ?? 1)
    }

    /// The number of images of each label.
    private static func classSizes(_ labels: [Int]) -> [Int: Int] {
        labels.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    /// The metrics from each query's ranked neighbours.
    ///
    /// - Parameters:
    ///   - labels: `[n]`, the label of each image of the set.
    ///   - neighbours: `[n]` lists of positions in the set, most similar first, the query
    ///     itself left out, each at least `listLength(labels:recallKs:)` long (or all n - 1
    ///     others).
    ///   - recallKs: the K of Recall@K, each >= 1.
    public init(labels: [Int], neighbours: [[Int]], recallKs: [Int]) {
        precondition(neighbours.count == labels.count, "\(neighbours.count) neighbour lists for \(labels.count) images")
        precondition(recallKs.allSatisfy { $0 >= 1 }, "Recall@K needs K >= 1")
        let needed = Self.listLength(labels: labels, recallKs: recallKs)
        let classSize = Self.classSizes(labels)
        var hitsAt1 = 0
        var recallHits = [Int](repeating: 0, count: recallKs.count)
        countedQueries = []
        rPrecisionPerQuery = []
        mapAtRPerQuery = []
        for (query, ranked) in neighbours.enumerated() {
            let y = labels[query], r = classSize[y]! - 1
            guard r >= 1 else { continue }
            precondition(ranked.count >= min(needed, labels.count - 1),
                         "query \(query): \(ranked.count) neighbours, the metrics need \(min(needed, labels.count - 1))")
            countedQueries.append(query)
            if labels[ranked[0]] == y { hitsAt1 += 1 }
            // Rank (1-based) of the first same-label neighbour decides every Recall@K.
            let firstHit = (ranked.firstIndex { labels[$0] == y }).map { $0 + 1 } ?? Int.max
            for (i, k) in recallKs.enumerated() where firstHit <= k { recallHits[i] += 1 }
            var hits = 0, precisionSum = 0.0
            for (i, neighbour) in ranked.prefix(r).enumerated() where labels[neighbour] == y {
                hits += 1
                precisionSum += Double(hits) / Double(i + 1)
            }
            rPrecisionPerQuery.append(Double(hits) / Double(r))
            mapAtRPerQuery.append(precisionSum / Double(r))
        }
        let counted = Double(countedQueries.count)
        precisionAt1 = Double(hitsAt1) / counted
        recallAtK = Dictionary(zip(recallKs, recallHits.map { Double($0) / counted }), uniquingKeysWith: { a, _ in a })
        rPrecision = rPrecisionPerQuery.reduce(0, +) / counted
        mapAtR = mapAtRPerQuery.reduce(0, +) / counted
    }
}
