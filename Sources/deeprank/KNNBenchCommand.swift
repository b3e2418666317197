import ArgumentParser
import Benchmarking
import Foundation
import TensorKit

/// `deeprank bench knn`: exhaustive top-k search throughput, optionally beside faiss's
/// IndexFlatL2 on the very same vectors, with a check that both find the same neighbours.
struct KNNBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "knn",
        abstract: "Exhaustive top-k search throughput (squared L2); optionally beside faiss on the same vectors.",
        discussion: "--json prints our figures as one JSON object.")

    @OptionGroup var options: BenchOptions

    @Option(help: "Database vectors.")
    var database: Int = 100_000

    @Option(help: "Dimension of the vectors.")
    var dimension: Int = 128

    @Option(help: "Queries per search.")
    var queries: Int = 10_000

    @Option(help: "Neighbours per query.")
    var k: Int = 30

    @Option(help: "Timed searches (the median is reported).")
    var repeats: Int = 5

    @Option(help: "Seed of the Gaussian data.")
    var seed: UInt64 = 0

    @Flag(name: .customLong("against-faiss"),
          help: "Also run Tests/Reference/bench_knn_faiss.py (faiss-cpu in --python, as many OpenMP threads) on the same vectors; print both, the ratio and the id agreement.")
    var againstFaiss = false

    @OptionGroup var reference: ReferenceScriptOptions

    @Option(help: "Path of the faiss benchmark script.")
    var script: String = "Tests/Reference/bench_knn_faiss.py"

    func validate() throws {
        guard database >= 1, dimension >= 1, queries >= 1, k >= 1, repeats >= 1 else {
            throw ValidationError("--database, --dimension, --queries, --k and --repeats must be >= 1")
        }
        guard k <= database else { throw ValidationError("--k (\(k)) must not exceed --database (\(database))") }
    }

    func run() throws {
        options.isa.apply()
        let threads = options.threads, json = options.json
        var benchmark = KNNBenchmark()
        benchmark.database = database
        benchmark.dimension = dimension
        benchmark.queries = queries
        benchmark.k = k
        benchmark.threads = threads
        benchmark.repeats = repeats
        benchmark.seed = seed
        let data = benchmark.data()
        let (figures, found) = benchmark.run(database: data.database, queries: data.queries)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let encoded = try encoder.encode(figures)
        guard againstFaiss else {
            print(json ? String(decoding: encoded, as: UTF8.self)
                       : String(format: "%.0f queries/s (median search %.1f ms): top-%d of %d x %d, %d queries, %d thread(s)",
                                figures.queriesPerSecond, figures.searchMillisecondsMedian, k, database, dimension, queries, threads))
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deeprank-knn-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let databasePath = directory.appendingPathComponent("database.npy").path
        let queriesPath = directory.appendingPathComponent("queries.npy").path
        let idsPath = directory.appendingPathComponent("faiss-ids.i32").path
        try benchmark.writeData(database: data.database, queries: data.queries,
                                databasePath: databasePath, queriesPath: queriesPath)
        let theirs = try ReferenceComparison(python: reference.python, script: script)
            .run(arguments: ["--database", databasePath, "--queries", queriesPath, "--k", "\(k)",
                             "--threads", "\(threads)", "--repeats", "\(repeats)", "--ids-out", idsPath, "--json"])
        let ids = try Data(contentsOf: URL(fileURLWithPath: idsPath)).withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self))) }
        }
        guard ids.count == queries * k else {
            throw ValidationError("\(idsPath): \(ids.count) ids from faiss, expected \(queries * k)")
        }
        let agreement = benchmark.agreement(ours: found, theirs: ids, database: data.database, queries: data.queries)
        let ours = try JSONSerialization.jsonObject(with: encoded) as! [String: Any]
        print("Reference: \(theirs["reference"] ?? "faiss"), \(threads) OpenMP thread(s), its OpenBLAS core "
              + "\(theirs["openblas_core"] ?? "?"); ours: \(threads) thread(s), OpenBLAS \(BLAS.coreType)")
        print("top-\(k) of \(database) x \(dimension), \(queries) queries, median of \(repeats)")
        print(ReferenceComparison.table(ours: ours, theirs: theirs, keys: ["queries_per_s", "search_ms_median"],
                                        referenceName: "faiss"))
        print(String(format: "neighbour ids agree with faiss: recall %.6f; %d of %d faiss ids missing from ours, "
                     + "%d of them near-ties at the k-th distance (relative %.0e)",
                     agreement.idRecall, agreement.missing, queries * k, agreement.missingNearTies,
                     agreement.relativeTolerance))
        if json { print(String(decoding: encoded, as: UTF8.self)) }
    }
}
