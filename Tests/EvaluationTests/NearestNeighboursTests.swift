import Evaluation
import Features
import TensorKit
import XCTest

final class NearestNeighboursTests: XCTestCase {
    override func tearDown() { Parallel.configure(threads: 1) }

    /// Values that are multiples of 1/4 in [-2, 2]: every distance is exact in float32,
    /// so the sgemm expansion and a direct sum agree bit for bit and ties are real.
    private func quantized(_ count: Int, seed: UInt64, name: String) -> [Float] {
        var stream = RandomStream(seed: seed, name: name)
        return (0..<count).map { _ in Float(stream.nextInt(below: 17) - 8) / 4 }
    }

    /// Brute force: every (distance, id) pair sorted, the excluded id left out.
    private func bruteForce(queries: [Float], references: [Float], dimension d: Int, k: Int,
                            excluding: [Int]?) -> [[Int]] {
        let n = references.count / d
        return (0..<(queries.count / d)).map { q in
            let pairs = (0..<n).filter { $0 != excluding?[q] }.map { r -> (Float, Int) in
                var sum: Float = 0
                for i in 0..<d { let x = queries[q * d + i] - references[r * d + i]; sum += x * x }
                return (sum, r)
            }
            return Array(pairs.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }.prefix(k).map(\.1))
        }
    }

    /// Several query blocks and reference blocks, with ragged ends (not multiples of 16
    /// or 512) and many ties: same as brute force, and bit-identical with 1 and 2 threads.
    func testMatchesBruteForceAndIsDeterministicAcrossThreads() {
        let d = 13, n = 2_345, q = 600, k = 17
        let references = quantized(n * d, seed: 5, name: "test/knn/references")
        let queries = quantized(q * d, seed: 5, name: "test/knn/queries")
        let excluded = (0..<q).map { $0 % 3 == 0 ? -1 : ($0 * 7) % n }
        let index = SquaredL2Index(dimension: d, references: references)
        Parallel.configure(threads: 1)
        let one = index.search(queries: queries, k: k, excluding: excluded)
        Parallel.configure(threads: 2)
        let two = index.search(queries: queries, k: k, excluding: excluded)
        XCTAssertEqual(one.ids, two.ids)
        XCTAssertEqual(one.scores.map(\.bitPattern), two.scores.map(\.bitPattern))
        XCTAssertEqual(one.rows, bruteForce(queries: queries, references: references, dimension: d, k: k, excluding: excluded))
        for row in 0..<q where excluded[row] >= 0 {
            XCTAssertFalse(one.neighbours(ofQuery: row).contains(excluded[row]))
        }
    }

    /// Every comparison through a ranker, 1 and 2 threads: identical lists and similarities.
    func testRankerSearchIsDeterministicAcrossThreadsForEveryComparison() {
        let d = 9, n = 700
        var stream = RandomStream(seed: 8, name: "test/knn/ranker")
        let vectors = (0..<(n * d)).map { _ in Float(stream.nextUniform(0, 1)) }
        let weights = (0..<(d * d)).map { _ in Float(stream.nextNormal()) }
        let comparisons: [Ranker.Comparison] = FeatureDistance.allCases.map { .distance($0) }
            + [.bilinear(weights: weights), .customDistance(name: "max") { a, b in
                (0..<d).map { abs(a[$0] - b[$0]) }.max()! }]
        let queries = Array(stride(from: 0, to: n, by: 2)), candidates = Array(100..<n)
        for comparison in comparisons {
            let ranker = Ranker(indices: Array(0..<n), dimension: d, vectors: vectors, comparison: comparison)
            Parallel.configure(threads: 1)
            let one = NearestNeighbours.search(ranker, queries: queries, candidates: candidates, k: 12)
            Parallel.configure(threads: 2)
            let two = NearestNeighbours.search(ranker, queries: queries, candidates: candidates, k: 12)
            XCTAssertEqual(one.ids, two.ids, "\(comparison)")
            XCTAssertEqual(one.scores.map(\.bitPattern), two.scores.map(\.bitPattern), "\(comparison)")
            // The similarities are the ranker's (up to sgemm rounding), best first.
            for row in 0..<queries.count {
                let ids = Array(one.neighbours(ofQuery: row))
                XCTAssertFalse(ids.contains(queries[row]))
                for (slot, id) in ids.enumerated() {
                    let expected = ranker.similarity(queries[row], id)
                    XCTAssertEqual(one.scores[row * 12 + slot], expected, accuracy: 1e-4 * max(1, abs(expected)))
                    if slot > 0 { XCTAssertGreaterThanOrEqual(one.scores[row * 12 + slot - 1], one.scores[row * 12 + slot]) }
                }
            }
        }
    }

    /// Equal vectors: all distances tie, the smaller row wins; fewer references than k pad.
    func testTiesGoToTheSmallerRowAndShortListsArePadded() {
        let index = SquaredL2Index(dimension: 2, references: [Float](repeating: 1, count: 2 * 40))
        let found = index.search(queries: [1, 1, 0, 0], k: 5, excluding: [0, -1])
        XCTAssertEqual(found.rows, [[1, 2, 3, 4, 5], [0, 1, 2, 3, 4]])
        XCTAssertEqual(Array(found.scores[5..<10]), [2, 2, 2, 2, 2])
        let short = SquaredL2Index(dimension: 1, references: [3, 1, 2]).search(queries: [0], k: 5, excluding: [1])
        XCTAssertEqual(short.ids, [2, 0, -1, -1, -1])
        XCTAssertEqual(Array(short.scores[0..<2]), [4, 9])
        XCTAssertTrue(short.scores[2...].allSatisfy(\.isNaN))
    }

    /// A NaN distance never enters the top k.
    func testNaNDistancesAreSkipped() {
        let ranker = Ranker(indices: [10, 11, 12, 13], dimension: 1, vectors: [0, .nan, 2, 1],
                            comparison: .distance(.l1))
        XCTAssertEqual(RowEvaluation.neighbours(ranker, queries: [10], candidates: [10, 11, 12, 13], k: 3), [[13, 12]])
    }
}
