import DatasetKit

/// Score-at-top-K (the paper's evaluation metrics, K = 30 there; README, "The paper in
/// brief"): for each evaluation triplet (Q, A, B), A the more relevant, rank the candidate
/// images of Q's category by the model's similarity to Q; over the triplets in which A or B
/// is among Q's top K, count the correctly ranked (sim(Q, A) > sim(Q, B)) minus the
/// incorrectly ranked (sim(Q, A) < sim(Q, B)). A tie counts 0.
///
/// Choices where the paper is silent:
/// - the candidates of Q are the given candidate images of Q's category, Q excluded (the
///   paper ranks 1000 images of the category; we rank the test images we have);
/// - the top K is cut by `NearestNeighbours.search`: equal similarities in the order of
///   the candidate list, so the cut at the K-th place is deterministic;
/// - sim(Q, A) and sim(Q, B) are `Ranker.similarity`, the values similarity precision
///   compares, so a triplet's contribution agrees with its `SimilarityPrecision` outcome.
public enum ScoreAtTopK {
    public struct Result: Sendable, Equatable {
        /// Correctly minus incorrectly ranked, over the counted triplets.
        public var score: Int
        /// Triplets with A or B among Q's top K.
        public var counted: Int
        /// Per triplet, in input order: +1 correct, -1 wrong, 0 tie or not counted.
        public var contributions: [Float]
    }

    /// Score-at-top-`k` of `ranker` on `triplets`.
    ///
    /// - Parameters:
    ///   - categoryOf: the category of every dataset index.
    ///   - candidates: the images a query is ranked against (its category's share of them).
    public static func evaluate(_ ranker: Ranker, triplets: [Triplet], categoryOf: [Int], candidates: [Int],
                                k: Int) -> Result {
        let top = topK(ranker, queries: triplets.map(\.query), categoryOf: categoryOf, candidates: candidates, k: k)
        return evaluate(triplets: triplets, topK: top) { ranker.similarity($0, $1) }
    }

    /// The score given each query's top K (dataset indices) and a similarity.
    public static func evaluate(triplets: [Triplet], topK: [Int: Set<Int>],
                                similarity: (Int, Int) -> Float) -> Result {
        var result = Result(score: 0, counted: 0, contributions: [Float](repeating: 0, count: triplets.count))
        for (i, t) in triplets.enumerated() {
            guard let top = topK[t.query], top.contains(t.positive) || top.contains(t.negative) else { continue }
            result.counted += 1
            let a = similarity(t.query, t.positive), b = similarity(t.query, t.negative)
            let contribution = a > b ? 1 : (a < b ? -1 : 0)
            result.score += contribution
            result.contributions[i] = Float(contribution)
        }
        return result
    }

    /// The top `k` candidates of each distinct query among the candidates of its category,
    /// the query excluded. Queries of one category are searched together.
    public static func topK(_ ranker: Ranker, queries: [Int], categoryOf: [Int], candidates: [Int],
                            k: Int) -> [Int: Set<Int>] {
        var candidatesOf: [Int: [Int]] = [:]
        for c in candidates { candidatesOf[categoryOf[c], default: []].append(c) }
        var queriesOf: [Int: [Int]] = [:]
        for q in Set(queries).sorted() { queriesOf[categoryOf[q], default: []].append(q) }
        var top: [Int: Set<Int>] = [:]
        for category in queriesOf.keys.sorted() {
            let members = queriesOf[category]!
            let found = NearestNeighbours.search(ranker, queries: members, candidates: candidatesOf[category] ?? [],
                                                 k: k, excludingQuery: true)
            for (row, q) in members.enumerated() { top[q] = Set(found.neighbours(ofQuery: row)) }
        }
        return top
    }
}
