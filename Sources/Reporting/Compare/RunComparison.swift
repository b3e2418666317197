import Evaluation
import RunFile

/// `deeprank compare A.h5 B.h5`: what differs between two runs. Spec keys (flattened,
/// `SpecKeyPaths`), sweep points, the stored digests (data set, evaluation triplets,
/// weights, metrics and histories, and each method's weights) and, recomputed from the
/// values with `RunDigests`, each method's histories and each row's metrics digest; every
/// row's metrics with B − A; and provenance (code, BLAS, threads, CPU, ...).
public struct RunComparison: Equatable, Codable {
    /// One named value in A and in B (nil where absent).
    public struct Entry: Equatable, Codable {
        public var name: String
        public var a: String?
        public var b: String?
        public var differs: Bool { a != b }

        public init(name: String, a: String?, b: String?) { self.name = name; self.a = a; self.b = b }
    }

    /// A metric of a row in both runs.
    public struct MetricDelta: Equatable, Codable {
        public var row: String
        public var metric: String
        public var a: Double?
        public var b: Double?
        /// b − a when both exist.
        public var delta: Double? { a.flatMap { a in b.map { $0 - a } } }
    }

    public var fileA: String
    public var fileB: String
    public var experimentA: String
    public var experimentB: String
    public var seedA: UInt64
    public var seedB: UInt64
    /// Keys whose value differs, was added (only in B) or removed (only in A), by key. The
    /// spec of a sweep run is its variant's: the swept key holds the run's value.
    public var specChanges: [Entry]
    /// `key = value`, or nil for a run outside a sweep.
    public var sweepA: String?
    public var sweepB: String?
    /// Every digest, the same ones included.
    public var digests: [Entry]
    /// Every metric of every row of either run, in A's row order, then B's new rows.
    public var metrics: [MetricDelta]
    /// Only the provenance fields that differ.
    public var provenance: [Entry]

    public init(_ a: ReportRun, _ b: ReportRun) throws {
        fileA = a.path; fileB = b.path
        let (ra, rb) = (a.record, b.record)
        experimentA = ra.experiment; experimentB = rb.experiment; seedA = ra.seed; seedB = rb.seed
        // A sweep run stores the whole spec; its variant has the swept key set to its value.
        var specA = try SpecKeyPaths.flatten(ra.specText, file: a.path)
        var specB = try SpecKeyPaths.flatten(rb.specText, file: b.path)
        if let point = ra.sweepPoint { specA[point.key] = point.label }
        if let point = rb.sweepPoint { specB[point.key] = point.label }
        specChanges = Set(specA.keys).union(specB.keys).sorted().compactMap { key in
            specA[key] == specB[key] ? nil : Entry(name: key, a: specA[key], b: specB[key])
        }
        sweepA = ra.sweepPoint.map { "\($0.key) = \($0.label)" }
        sweepB = rb.sweepPoint.map { "\($0.key) = \($0.label)" }

        var digests = [
            Entry(name: "dataset", a: ra.dataset.digest, b: rb.dataset.digest),
            Entry(name: "evaluation", a: ra.evaluation.digest, b: rb.evaluation.digest),
            Entry(name: "weights", a: a.storedDigests.weights, b: b.storedDigests.weights),
            Entry(name: "metrics", a: a.storedDigests.metrics, b: b.storedDigests.metrics),
            Entry(name: "histories", a: a.storedDigests.histories, b: b.storedDigests.histories),
        ]
        for method in Set(a.storedDigests.methodWeights.keys).union(b.storedDigests.methodWeights.keys).sorted() {
            digests.append(Entry(name: "weights.\(method)", a: a.storedDigests.methodWeights[method],
                                 b: b.storedDigests.methodWeights[method]))
        }
        // Per method and per row, recomputed from the values read (run files store these
        // two only for the whole run).
        for method in Self.union(ra.methods.map(\.name), rb.methods.map(\.name)) {
            func digest(_ r: RunRecord) -> String? {
                r.methods.first { $0.name == method }.map { RunDigests(methods: [$0], rows: []).histories }
            }
            digests.append(Entry(name: "histories.\(method)", a: digest(ra), b: digest(rb)))
        }
        for row in Self.union(ra.rows.map(\.row), rb.rows.map(\.row)) {
            func digest(_ r: RunRecord) -> String? {
                r.rows.first { $0.row == row }.map { RunDigests(methods: [], rows: [$0]).metrics }
            }
            digests.append(Entry(name: "metrics.\(row)", a: digest(ra), b: digest(rb)))
        }
        self.digests = digests

        metrics = Self.union(ra.rows.map(\.row), rb.rows.map(\.row)).flatMap { name -> [MetricDelta] in
            let x = ra.rows.first { $0.row == name }, y = rb.rows.first { $0.row == name }
            let names = ReportMetric.ordered(Set((x?.metrics.keys).map(Array.init) ?? []).union(y?.metrics.keys ?? [:].keys)
                .union([MetricName.similarityPrecision]))
            return names.map { metric in
                func value(_ r: RowRecord?) -> Double? {
                    metric == MetricName.similarityPrecision ? r?.similarityPrecision : r?.metrics[metric]
                }
                return MetricDelta(row: name, metric: metric, a: value(x), b: value(y))
            }
        }

        let (pa, pb) = (ra.provenance, rb.provenance)
        let fields: [(String, String, String)] = [
            ("git_commit", pa.gitCommit, pb.gitCommit), ("git_dirty", "\(pa.gitDirty)", "\(pb.gitDirty)"),
            ("swift_version", pa.swiftVersion, pb.swiftVersion), ("deeprank_version", pa.deeprankVersion, pb.deeprankVersion),
            ("blas", pa.blas, pb.blas), ("blas_core", pa.blasCore, pb.blasCore),
            ("isa", pa.instructionSet ?? "(not recorded)", pb.instructionSet ?? "(not recorded)"),
            ("threads", "\(pa.threads)", "\(pb.threads)"), ("cpu_model", pa.cpuModel, pb.cpuModel),
            ("os", pa.os, pb.os), ("hostname", pa.hostname, pb.hostname), ("command_line", pa.commandLine, pb.commandLine),
        ]
        provenance = fields.compactMap { $0.1 == $0.2 ? nil : Entry(name: $0.0, a: $0.1, b: $0.2) }
    }

    /// `a`, then the names of `b` that `a` lacks.
    static func union(_ a: [String], _ b: [String]) -> [String] { a + b.filter { !a.contains($0) } }

    /// Whether nothing but the files' names differs.
    public var identical: Bool {
        specChanges.isEmpty && sweepA == sweepB && !digests.contains(where: \.differs) && provenance.isEmpty
            && seedA == seedB && experimentA == experimentB
    }
}
