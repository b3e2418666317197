import DatasetKit
import Evaluation
import Imaging
import RunFile

/// The figures and grids of a report as `Report.make` builds them, in writing order, with
/// what the documents need to show them (captions, the HTML page's inline assets).
struct ReportOutputs {
    /// Output files by path relative to the report folder, in writing order.
    var files: [(path: String, bytes: [UInt8])] = []
    /// Figures of each table (by `ExperimentGroup.slug`) with their captions.
    var figures: [String: [(path: String, caption: String)]] = [:]
    /// The sweep figure of each swept experiment.
    var sweepFigures: [String: String] = [:]
    /// The grids drawn (or not) for each table.
    var grids: [String: [GridOutcome]] = [:]
    /// What report.html embeds, by path.
    var assets: [String: HTMLReport.Asset] = [:]

    /// `figures/<group>-metrics.svg`, `figures/<group>-loss.svg` and (with `keep_best`)
    /// `figures/<group>-validation.svg` of one table.
    mutating func addFigures(of summary: GroupSummary) {
        let slug = summary.group.slug
        if let svg = MetricBarsFigure.svg(summary) {
            let path = "figures/\(slug)-metrics.svg"
            add(path, svg: svg)
            let metrics = summary.metricNames.contains(MetricName.scoreAtK) ? "Similarity precision and Score@\(summary.topK)"
                : "Similarity precision"
            figures[slug, default: []].append((path, metrics + " per row, mean over seeds with 95% CI"))
        }
        if let svg = TrainingCurveFigure.svg(summary.group) {
            let path = "figures/\(slug)-loss.svg"
            add(path, svg: svg)
            figures[slug, default: []].append((path, "Training loss per step, mean over seeds (faint) and its moving average"))
        }
        if let svg = ValidationCurveFigure.svg(summary.group) {
            let path = "figures/\(slug)-validation.svg"
            add(path, svg: svg)
            figures[slug, default: []].append((path, "Validation similarity precision at each check of the networks that keep their best weights, mean over seeds"))
        }
    }

    /// `figures/<experiment>-sweep.svg`, when `experiment` sweeps a key.
    mutating func addSweepFigure(of experiment: String, _ summaries: [GroupSummary]) {
        let swept = summaries.filter { $0.group.experiment == experiment && $0.group.sweepPoint != nil }
        guard let key = swept.first?.group.sweepPoint?.key else { return }
        let groups = swept.filter { $0.group.sweepPoint?.key == key }
        let slug = ExperimentGroup(experiment: experiment, sweepPoint: nil, runs: []).slug
        if let svg = SweepFigure.svg(experiment: experiment, key: key, groups: groups,
                                     rows: ReportContent.sweptRows(key: key, groups)) {
            let path = "figures/\(slug)-sweep.svg"
            add(path, svg: svg)
            sweepFigures[experiment] = path
        }
    }

    /// `grids/<group>-seed-<N>.png` of one run, when it stores neighbours; a grid that cannot
    /// be drawn is a warning, not an error.
    mutating func addGrid(of run: ReportRun, in summary: GroupSummary, _ grid: RetrievalGrid,
                          _ datasets: Report.DatasetOpener, warnings: inout [String], display: (String) -> String) {
        guard !run.record.evaluation.gridQueries.isEmpty else { return }
        let rows = run.record.rows.filter { $0.neighbours.contains { !$0.isEmpty } }.map(\.row)
        guard !rows.isEmpty else { return }
        let slug = summary.group.slug
        var outcome = GridOutcome(seed: run.record.seed, path: nil, rows: rows, problem: nil)
        do {
            let dataset = try datasets(run.record, run.path)
            if let image = try grid.render(run, dataset: dataset) {
                let path = "grids/\(slug)-seed-\(run.record.seed).png"
                let bytes = try ImageCodec.encodePNG(image)
                files.append((path, bytes))
                // The page embeds the first grid of each table and links the others, so that it
                // stays a few megabytes with many seeds and sweep values.
                if grids[slug, default: []].allSatisfy({ $0.path == nil }) {
                    assets[path] = .png(bytes)
                }
                outcome.path = path
            }
        } catch {
            outcome.problem = "\(error)"
            warnings.append("\(display(run.path)): retrieval grid not drawn: \(error)")
        }
        grids[slug, default: []].append(outcome)
    }

    private mutating func add(_ path: String, svg: String) {
        files.append((path, Array(svg.utf8)))
        assets[path] = .svg(svg)
    }
}
