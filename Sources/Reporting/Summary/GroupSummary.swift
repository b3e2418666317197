import Evaluation
import RunFile

/// The statistics of one report table (`ExperimentGroup`): per row, every metric as mean ±
/// 95% CI over seeds (`MetricSummary`), and exact paired sign-flip tests (`SignFlipTest`)
/// of each row against the best row, pooled over the seeds in which both rows were scored
/// (always on the same evaluation triplets, those of the seed). The best row is the one with
/// the highest mean similarity precision on the validation split when every row of the
/// group has validation scores, else on the test split (runs without a validation part).
public struct GroupSummary: Equatable {
    /// Which split the best row (and anything else chosen from a table) was chosen on.
    public enum ChoiceSplit: String, Equatable {
        case validation
        case test
    }

    public var group: ExperimentGroup
    /// In the order the runner scored them (first seed first; rows only other seeds have
    /// follow).
    public var rows: [RowSummary]
    public var failures: [MethodFailure]
    /// The K of Score-at-top-K (of the first run; `topKs` lists all when they differ).
    public var topK: Int
    public var topKs: [Int]
    /// Every metric some row has, in `ReportMetric.ordered` order.
    public var metricNames: [String]
    /// Every validation metric some row has, in the same order (empty without validation).
    public var validationMetricNames: [String]
    public var chosenOn: ChoiceSplit
    /// Every row against every other (nil for one row or more than
    /// `PairedComparisons.maximumRows`).
    public var pairs: PairedComparisons?

    public var best: RowSummary? { rows.first(where: \.isBest) }

    public init(_ group: ExperimentGroup) throws {
        self.group = group
        var keys: [String] = []
        var found: [String: (method: String, row: String)] = [:]
        for run in group.runs {
            for row in run.record.rows where found[Self.key(row)] == nil {
                keys.append(Self.key(row))
                found[Self.key(row)] = (row.method, row.row)
            }
        }
        var summaries: [RowSummary] = keys.map { key in
            let (method, row) = found[key]!
            var seeds: [UInt64] = []
            var values: [String: [Double]] = [:]
            var validation: [String: [Double]] = [:]
            var type = ""
            for run in group.runs {
                guard let record = run.record.rows.first(where: { Self.key($0) == key }) else { continue }
                seeds.append(run.record.seed)
                type = run.record.methods.first(where: { $0.name == method })?.type ?? type
                values[MetricName.similarityPrecision, default: []].append(record.similarityPrecision)
                for (name, value) in record.metrics { values[name, default: []].append(value) }
                if let scores = record.validation {
                    validation[MetricName.similarityPrecision, default: []].append(scores.similarityPrecision)
                    for (name, value) in scores.metrics { validation[name, default: []].append(value) }
                }
            }
            var summary = RowSummary(method: method, type: type, row: row, seeds: seeds,
                                     metrics: values.compactMapValues { MetricSummary(values: $0) })
            summary.validation = validation.compactMapValues { MetricSummary(values: $0) }
            return summary
        }
        // Choose on validation only when every row was scored on it in every seed it has.
        let everyRowValidated = !summaries.isEmpty && summaries.allSatisfy {
            $0.validation[MetricName.similarityPrecision]?.n == $0.seeds.count
        }
        chosenOn = everyRowValidated ? .validation : .test
        // The best row: the highest mean similarity precision on the split chosen on; the
        // first such row on a tie.
        let choice: (RowSummary) -> Double? = { [chosenOn] row in
            (chosenOn == .validation ? row.validation : row.metrics)[MetricName.similarityPrecision]?.mean
        }
        var best: Int?
        for (i, summary) in summaries.enumerated() {
            guard let mean = choice(summary) else { continue }
            if best.map({ mean > choice(summaries[$0])! }) ?? true { best = i }
        }
        if let bestIndex = best {
            summaries[bestIndex].isBest = true
            let bestKey = keys[bestIndex]
            for i in summaries.indices where i != bestIndex {
                summaries[i].precisionTest = try Self.test(group, keys[i], against: bestKey, \.outcomes, halfUnits: true)
                summaries[i].scoreTest = try Self.test(group, keys[i], against: bestKey, \.scoreContributions, halfUnits: false)
            }
        }
        rows = summaries
        failures = group.runs.flatMap { run in
            run.record.methods.compactMap { method in
                method.failure.map { MethodFailure(method: method.name, type: method.type, seed: run.record.seed, reason: $0) }
            }
        }
        topKs = Array(Set(group.runs.map(\.record.evaluation.topK))).sorted()
        topK = group.runs.first?.record.evaluation.topK ?? 30
        metricNames = ReportMetric.ordered(Set(summaries.flatMap(\.metrics.keys)))
        validationMetricNames = ReportMetric.ordered(Set(summaries.flatMap(\.validation.keys)))
        pairs = try PairedComparisons(rows: summaries, group: group)
    }

    static func key(_ row: RowRecord) -> String { key(method: row.method, row: row.row) }
    static func key(method: String, row: String) -> String { method + "\u{0}" + row }

    /// The sign-flip test of row `key` against row `best` on a per-triplet series, pooled
    /// over the seeds where both rows have it with the same length. Outcomes (1, 0.5, 0) are
    /// counted in half-units; contributions (+1, 0, -1) as they are. nil when nothing pairs.
    static func test(_ group: ExperimentGroup, _ key: String, against best: String, _ series: KeyPath<RowRecord, [Float]>,
                     halfUnits: Bool) throws -> SignFlipTest? {
        var differences: [Int] = []
        var paired = false
        for run in group.runs {
            guard let row = run.record.rows.first(where: { Self.key($0) == key }),
                  let reference = run.record.rows.first(where: { Self.key($0) == best }),
                  !row[keyPath: series].isEmpty, row[keyPath: series].count == reference[keyPath: series].count else { continue }
            paired = true
            let a = try units(row, series, halfUnits: halfUnits, file: run.path)
            let b = try units(reference, series, halfUnits: halfUnits, file: run.path)
            differences += zip(a, b).map { $0 - $1 }
        }
        return paired ? SignFlipTest(differences: differences) : nil
    }

    /// Outcomes as 0, 1, 2 half-units, or contributions as -1, 0, 1; anything else is an error.
    static func units(_ row: RowRecord, _ series: KeyPath<RowRecord, [Float]>, halfUnits: Bool, file: String) throws -> [Int] {
        let allowed: ClosedRange<Int> = halfUnits ? 0...2 : -1...1
        let name = halfUnits ? "outcomes" : "score_contributions"
        return try row[keyPath: series].map { value in
            let scaled = halfUnits ? value * 2 : value
            guard scaled.isFinite, scaled == scaled.rounded(), allowed.contains(Int(scaled)) else {
                throw ReportError.invalidValue(
                    file: file, path: "/methods/\(row.method)/rows/\(row.row)/\(name)",
                    reason: "value \(value) is not one of " + (halfUnits ? "0, 0.5, 1" : "-1, 0, 1"))
            }
            return Int(scaled)
        }
    }
}
