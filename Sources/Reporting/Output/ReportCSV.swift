import Evaluation
import RunFile

/// `report.csv` and `runs.csv`. Numbers are stored values (fractions, not percent) in
/// Swift's shortest round-tripping form; an empty field is a value that does not exist.
public enum ReportCSV {
    /// `report.csv`: one line per (experiment, sweep value, row): seeds, whether it is the
    /// best row, the sign-flip p-values against the best row, and for every metric its
    /// mean, 95% CI half-width (`_ci95`, empty for one seed) and number of seeds (`_n`).
    /// Runs with a validation split add `best_chosen_on` and the validation metrics
    /// (`validation_<metric>_mean`, ...).
    public static func summary(_ groups: [GroupSummary]) -> String {
        let metrics = ReportMetric.ordered(Set(groups.flatMap(\.metricNames)))
        let validationMetrics = ReportMetric.ordered(Set(groups.flatMap(\.validationMetricNames)))
        let validated = !validationMetrics.isEmpty
        var table = CSVTable(header: ["experiment", "sweep_key", "sweep_value", "top_k", "method", "type", "row", "seeds",
                                      "best", "p_precision", "p_score_at_k"] + (validated ? ["best_chosen_on"] : [])
                                 + metrics.flatMap { ["\($0)_mean", "\($0)_ci95", "\($0)_n"] }
                                 + validationMetrics.flatMap { ["validation_\($0)_mean", "validation_\($0)_ci95", "validation_\($0)_n"] })
        for summary in groups {
            let group = summary.group
            for row in summary.rows {
                var fields = [group.experiment, group.sweepPoint?.key ?? "", group.sweepPoint?.label ?? "",
                              "\(summary.topK)", row.method, row.type, row.row, "\(row.seeds.count)", row.isBest ? "1" : "0",
                              NumberFormat.csv(row.precisionTest?.pValue), NumberFormat.csv(row.scoreTest?.pValue)]
                    + (validated ? [summary.chosenOn.rawValue] : [])
                for metric in metrics {
                    let s = row.metrics[metric]
                    fields += [NumberFormat.csv(s?.mean), NumberFormat.csv(s?.halfWidth), s.map { "\($0.n)" } ?? ""]
                }
                for metric in validationMetrics {
                    let s = row.validation[metric]
                    fields += [NumberFormat.csv(s?.mean), NumberFormat.csv(s?.halfWidth), s.map { "\($0.n)" } ?? ""]
                }
                table.append(fields)
            }
        }
        return table.text
    }

    /// `runs.csv`: one line per run and row with the stored values, and one per failed
    /// method (`status` failed, its reason). `file` is as `displayPath` writes it.
    public static func runs(_ groups: [GroupSummary], displayPath: (String) -> String) -> String {
        let metrics = ReportMetric.ordered(Set(groups.flatMap(\.metricNames)).subtracting([MetricName.similarityPrecision]))
        let validationMetrics = ReportMetric.ordered(Set(groups.flatMap(\.validationMetricNames)))
        var table = CSVTable(header: ["experiment", "sweep_key", "sweep_value", "seed", "file", "method", "type", "row",
                                      "status", "reason", MetricName.similarityPrecision] + metrics + [RunFileKey.Row.trainingSeconds]
                                 + validationMetrics.map { "validation_" + $0 })
        for summary in groups {
            let group = summary.group
            for run in group.runs {
                let record = run.record
                let front = [group.experiment, group.sweepPoint?.key ?? "", group.sweepPoint?.label ?? "", "\(record.seed)",
                             displayPath(run.path)]
                for row in record.rows {
                    let type = record.methods.first { $0.name == row.method }?.type ?? ""
                    let validation = row.validation.map { v in
                        [MetricName.similarityPrecision: v.similarityPrecision].merging(v.metrics) { a, _ in a }
                    } ?? [:]
                    table.append(front + [row.method, type, row.row, "complete", "", NumberFormat.csv(row.similarityPrecision)]
                                 + metrics.map { NumberFormat.csv(row.metrics[$0]) } + [NumberFormat.csv(row.trainingSeconds)]
                                 + validationMetrics.map { NumberFormat.csv(validation[$0]) })
                }
                for method in record.methods {
                    guard let reason = method.failure else { continue }
                    table.append(front + [method.name, method.type, "", "failed", reason, ""]
                                 + metrics.map { _ in "" } + [""] + validationMetrics.map { _ in "" })
                }
            }
        }
        return table.text
    }
}
