import Evaluation
import Features
import Foundation
import TensorKit

/// Figures of one exhaustive kNN benchmark run; the JSON keys are shared with
/// `Tests/Reference/bench_knn_faiss.py` so the two can be compared key by key.
public struct KNNFigures: Codable {
    public var reference: String
    public var database: Int
    public var dimension: Int
    public var queries: Int
    public var k: Int
    public var threads: Int
    public var repeats: Int
    /// Median wall time of one search of all queries, in milliseconds.
    public var searchMillisecondsMedian: Double
    /// `queries / median search time`.
    public var queriesPerSecond: Double
    /// Every timed search in milliseconds, in order.
    public var searchMilliseconds: [Double]

    enum CodingKeys: String, CodingKey {
        case reference, database, dimension, queries, k, threads, repeats
        case searchMillisecondsMedian = "search_ms_median"
        case queriesPerSecond = "queries_per_s"
        case searchMilliseconds = "search_ms"
    }
}

/// Exhaustive top-k search speed (the retrieval metrics and grids rank every test image): `SquaredL2Index` over `database` Gaussian
/// vectors of `dimension`, a batch of `queries` query vectors, the `k` nearest of each;
/// the median of `repeats` searches after `warmup` untimed ones. The index (reference
/// norms) is built once, untimed, as faiss's `IndexFlatL2.add` is.
///
/// Data: every value an independent standard normal, float32, from
/// `RandomStream(seed:, name: "bench/knn/database")` and `".../queries"`; the faiss side
/// reads the very same values from the .npy files `writeData` writes.
public struct KNNBenchmark {
    public var database = 100_000
    public var dimension = 128
    public var queries = 10_000
    public var k = 30
    public var threads = 2
    public var repeats = 5
    public var warmup = 1
    public var seed: UInt64 = 0

    public init() {}

    /// `[database, dimension]` and `[queries, dimension]` row-major.
    public func data() -> (database: [Float], queries: [Float]) {
        func gaussian(_ count: Int, _ name: String) -> [Float] {
            var stream = RandomStream(seed: seed, name: name)
            return (0..<count).map { _ in Float(stream.nextNormal()) }
        }
        return (gaussian(database * dimension, "bench/knn/database"), gaussian(queries * dimension, "bench/knn/queries"))
    }

    /// Writes both arrays as float32 .npy files.
    public func writeData(database: [Float], queries: [Float], databasePath: String, queriesPath: String) throws {
        try NumpyArrayFile.write(database, shape: [self.database, dimension], to: databasePath)
        try NumpyArrayFile.write(queries, shape: [self.queries, dimension], to: queriesPath)
    }

    /// Times the search; returns the figures and the neighbours of the last search.
    public func run(database: [Float], queries: [Float]) -> (KNNFigures, NeighbourList) {
        Parallel.configure(threads: threads)
        let index = SquaredL2Index(dimension: dimension, references: database)
        var found = NeighbourList(queryCount: 0, k: k, ids: [], scores: [])
        let times = Stopwatch.time(warmup: warmup, repeats: repeats) {
            found = index.search(queries: queries, k: k)
        }
        let median = Stopwatch.median(times)
        let figures = KNNFigures(reference: "DeepRank SquaredL2Index (sgemm + top-k, OpenBLAS \(BLAS.coreType))",
                                 database: self.database, dimension: dimension, queries: self.queries, k: k,
                                 threads: threads, repeats: repeats, searchMillisecondsMedian: 1000 * median,
                                 queriesPerSecond: Double(self.queries) / median,
                                 searchMilliseconds: times.map { 1000 * $0 })
        return (figures, found)
    }

    /// How far two top-k id lists agree, allowing rounding: `theirs` is `[Q, k]` ids.
    public struct Agreement {
        /// |ours ∩ theirs| / (Q k), per query as sets.
        public var idRecall: Double
        /// Ids of theirs missing from ours.
        public var missing: Int
        /// Of those, the ones whose exact distance (Double) lies within `relativeTolerance`
        /// of our k-th exact distance: a near-tie at the cut that float32 rounding decides.
        public var missingNearTies: Int
        public var relativeTolerance: Double
    }

    /// Compares our neighbours with `theirs` (`[queries, k]` row-major ids).
    public func agreement(ours: NeighbourList, theirs: [Int], database: [Float], queries: [Float],
                          relativeTolerance: Double = 1e-4) -> Agreement {
        func exact(_ q: Int, _ r: Int) -> Double {
            var sum = 0.0
            for i in 0..<dimension {
                let d = Double(queries[q * dimension + i]) - Double(database[r * dimension + i])
                sum += d * d
            }
            return sum
        }
        var common = 0, missing = 0, nearTies = 0
        for q in 0..<self.queries {
            let mine = Set(ours.neighbours(ofQuery: q))
            let kth = ours.neighbours(ofQuery: q).map { exact(q, $0) }.max() ?? 0
            for id in theirs[(q * k)..<((q + 1) * k)] {
                if mine.contains(id) { common += 1; continue }
                missing += 1
                if id >= 0 && abs(exact(q, id) - kth) <= relativeTolerance * kth { nearTies += 1 }
            }
        }
        return Agreement(idRecall: Double(common) / Double(self.queries * k), missing: missing,
                         missingNearTies: nearTies, relativeTolerance: relativeTolerance)
    }
}
