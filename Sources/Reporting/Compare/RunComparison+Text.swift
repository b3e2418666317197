import Foundation

extension RunComparison {
    /// The comparison for a terminal: A and B, then each section with what differs.
    public var text: String {
        var out = ["A: \(fileA) (experiment \(experimentA), seed \(seedA))", "B: \(fileB) (experiment \(experimentB), seed \(seedB))"]
        func value(_ v: String?) -> String { v ?? "(absent)" }

        let changed = specChanges.filter { $0.a != nil && $0.b != nil }.count
        let added = specChanges.filter { $0.a == nil }.count, removed = specChanges.filter { $0.b == nil }.count
        out.append("")
        out.append("Spec: " + (specChanges.isEmpty ? "same" : "\(changed) changed, \(added) added, \(removed) removed"))
        for entry in specChanges {
            switch (entry.a, entry.b) {
            case (nil, let b?): out.append("  + \(entry.name): \(b)")
            case (let a?, nil): out.append("  - \(entry.name): \(a)")
            default: out.append("  ~ \(entry.name): \(value(entry.a)) -> \(value(entry.b))")
            }
        }
        out.append("Sweep point: " + (sweepA == sweepB ? (sweepA ?? "none") : "\(sweepA ?? "none") -> \(sweepB ?? "none")"))

        out.append("")
        out.append("Digests:")
        let width = digests.map(\.name.count).max() ?? 0
        for entry in digests {
            let name = entry.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let short = { (v: String?) in v.map { String($0.prefix(16)) } ?? "(absent)" }
            out.append("  \(name)  " + (entry.differs ? "differs  \(short(entry.a)) -> \(short(entry.b))" : "same     \(short(entry.a))"))
        }

        out.append("")
        out.append("Metrics (B − A):")
        let rowWidth = max(3, metrics.map(\.row.count).max() ?? 0), metricWidth = max(6, metrics.map(\.metric.count).max() ?? 0)
        func number(_ x: Double?) -> String { x.map { NumberFormat.fixed($0, decimals: 6) } ?? "(absent)" }
        for m in metrics {
            let delta = m.delta.map { ($0 > 0 ? "+" : "") + NumberFormat.fixed($0, decimals: 6) } ?? "n/a"
            out.append("  " + m.row.padding(toLength: rowWidth, withPad: " ", startingAt: 0) + "  "
                       + m.metric.padding(toLength: metricWidth, withPad: " ", startingAt: 0)
                       + "  \(number(m.a)) -> \(number(m.b))  (\(delta))")
        }

        out.append("")
        out.append("Provenance: " + (provenance.isEmpty ? "same" : "\(provenance.count) field(s) differ"))
        for entry in provenance { out.append("  ~ \(entry.name): \(value(entry.a)) -> \(value(entry.b))") }
        return out.joined(separator: "\n") + "\n"
    }

    /// The comparison as JSON (sorted keys, indented); digests and metrics carry `differs`
    /// and `delta`.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        struct Digest: Encodable { var name: String; var a: String?; var b: String?; var differs: Bool }
        struct Metric: Encodable { var row: String; var metric: String; var a: Double?; var b: Double?; var delta: Double? }
        struct Document: Encodable {
            var a: Side, b: Side
            var specChanges: [RunComparison.Entry]
            var digests: [Digest]
            var metrics: [Metric]
            var provenance: [RunComparison.Entry]
        }
        struct Side: Encodable { var file: String; var experiment: String; var seed: UInt64; var sweep: String? }
        let document = Document(
            a: Side(file: fileA, experiment: experimentA, seed: seedA, sweep: sweepA),
            b: Side(file: fileB, experiment: experimentB, seed: seedB, sweep: sweepB),
            specChanges: specChanges,
            digests: digests.map { Digest(name: $0.name, a: $0.a, b: $0.b, differs: $0.differs) },
            metrics: metrics.map { Metric(row: $0.row, metric: $0.metric, a: $0.a, b: $0.b, delta: $0.delta) },
            provenance: provenance)
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
