import Evaluation
import RunFile

/// The text of `report.md` and `report.html` (`ReportDocument`): an explanation of the
/// statistics, then per experiment its sweep summary (when swept) and per table its
/// provenance, the table in the paper's format, failed methods, figures, retrieval grids
/// and the runs it was made from. Nothing time-varying that is not read from the run
/// files goes in, so the same files give the same text.
struct ReportContent {
    var summaries: [GroupSummary]
    /// Figure files (relative to the report folder) by group slug, and sweep figures by experiment.
    var figures: [String: [(path: String, caption: String)]]
    var sweepFigures: [String: String]
    /// Per group slug and seed: the grid file, or why there is none.
    var grids: [String: [GridOutcome]]
    var warnings: [String]
    var displayPath: (String) -> String

    static let statistics = """
        **Statistics.** A cell is the mean over seeds ± the half-width of its 95% confidence interval \
        (Student's t with n − 1 degrees of freedom; one seed gives no interval). Fractions are in percent. \
        p compares a row with its table's best row (the highest mean similarity precision): the exact two-sided \
        paired sign-flip (permutation) test of the sum of per-triplet differences, of outcomes (1, 0.5 for a tie, 0) \
        for p (precision) and of Score@K contributions (+1, 0, −1) for p (Score@K), pooled over the seeds in which \
        both rows were scored on the same evaluation triplets. With only ±1 differences it is the exact McNemar test.
        """

    static let validation = """
        **Validation.** Runs with a validation split (images carved out of each category's training images, \
        scored on triplets drawn from them the same way as the test ones) are chosen on it, never on the test \
        split: a table whose every row has validation scores marks as best (bold, the reference of p) the row \
        with the highest mean *validation* similarity precision, and a sweep's chosen value per row is the one \
        with the highest mean validation similarity precision. Validation columns say so; every other number \
        is on the test split.
        """

    func document() -> ReportDocument {
        var doc = ReportDocument()
        let runCount = summaries.map(\.group.runs.count).reduce(0, +)
        doc.append(.heading(level: 1, text: "DeepRank report"))
        doc.append(.paragraph("Made by `deeprank report` from \(runCount) run file\(runCount == 1 ? "" : "s") alone: "
                              + "nothing was trained, and the same files give the same report."))
        doc.append(.paragraph(Self.statistics))
        if summaries.contains(where: { !$0.validationMetricNames.isEmpty }) { doc.append(.paragraph(Self.validation)) }
        if !warnings.isEmpty { doc.append(.bullets(warnings.map { "Warning: " + $0 })) }
        var experiments: [String] = []
        for s in summaries where !experiments.contains(s.group.experiment) { experiments.append(s.group.experiment) }
        for experiment in experiments {
            let groups = summaries.filter { $0.group.experiment == experiment }
            doc.append(.heading(level: 2, text: "Experiment `\(experiment)`"))
            let swept = groups.filter { $0.group.sweepPoint != nil }
            if let key = swept.first?.group.sweepPoint?.key {
                sweepSection(key: key, swept.filter { $0.group.sweepPoint?.key == key }, experiment: experiment, into: &doc)
            }
            for summary in groups { groupSection(summary, into: &doc) }
        }
        return doc
    }

    /// The rows a sweep figure and summary show: the swept method's rows when the key is a
    /// method's (`methods.<name>....`), else every row.
    static func sweptRows(key: String, _ groups: [GroupSummary]) -> [String] {
        var rows: [String] = []
        let segments = key.split(separator: ".").map(String.init)
        for group in groups {
            for row in group.rows where !rows.contains(row.row) {
                if segments.count >= 2, segments[0] == "methods", row.method != segments[1] { continue }
                rows.append(row.row)
            }
        }
        return rows
    }

    func sweepSection(key: String, _ groups: [GroupSummary], experiment: String, into doc: inout ReportDocument) {
        let shortKey = ExperimentGroup.shortKey(key)
        doc.append(.heading(level: 3, text: "Sweep over `\(key)`"))
        let rows = Self.sweptRows(key: key, groups)
        let topK = groups.first?.topK ?? 30
        let metrics = [MetricName.similarityPrecision, MetricName.scoreAtK].filter { m in groups.contains { $0.metricNames.contains(m) } }
        let validated = groups.contains { !$0.validationMetricNames.isEmpty }
        let precision = MetricName.similarityPrecision
        var lines: [[String]] = []
        for group in groups {
            for row in group.rows where rows.contains(row.row) {
                lines.append([group.group.sweepPoint?.label ?? "", row.row]
                             + (validated ? [NumberFormat.cell(row.validation[precision], metric: precision)] : [])
                             + metrics.map { NumberFormat.cell(row.metrics[$0], metric: $0) } + ["\(row.seeds.count)"])
            }
        }
        let validationHeader = validated ? [ReportMetric.validationTitle(precision, topK: topK)] : []
        doc.append(.table(header: [shortKey, "Method"] + validationHeader + metrics.map { ReportMetric.title($0, topK: topK) }
                              + ["Seeds"],
                          alignments: [.right, .left] + (validationHeader + metrics).map { _ in .right } + [.right], rows: lines))
        if validated { doc.append(.bullets(Self.sweepChoices(rows: rows, groups, shortKey: shortKey))) }
        if let path = sweepFigures[experiment] {
            let shown = metrics.map { ReportMetric.title($0, topK: topK) }.joined(separator: " and ")
            doc.append(.image(path: path, caption: "\(shown) against \(shortKey), mean over seeds with 95% CI"))
        }
    }

    /// Per swept row, the value with the highest mean validation similarity precision, and its
    /// test similarity precision (the figure a reader may quote).
    static func sweepChoices(rows: [String], _ groups: [GroupSummary], shortKey: String) -> [String] {
        let precision = MetricName.similarityPrecision
        return rows.compactMap { name in
            var best: (label: String, row: RowSummary)?
            for group in groups {
                guard let row = group.rows.first(where: { $0.row == name }),
                      let mean = row.validation[precision]?.mean else { continue }
                if best.map({ mean > $0.row.validation[precision]!.mean }) ?? true {
                    best = (group.group.sweepPoint?.label ?? "", row)
                }
            }
            return best.map {
                "`\(name)`: \(shortKey) = \($0.label) chosen on validation (validation "
                    + NumberFormat.cell($0.row.validation[precision], metric: precision) + " %, test "
                    + NumberFormat.cell($0.row.metrics[precision], metric: precision) + " %)"
            }
        }
    }

    func groupSection(_ summary: GroupSummary, into doc: inout ReportDocument) {
        let group = summary.group
        doc.append(.heading(level: 3, text: group.sweepPoint.map { "`\(ExperimentGroup.shortKey($0.key))` = \($0.label)" }
                            ?? "`\(group.experiment)`"))
        doc.append(.bullets(provenance(group, summary)))
        doc.append(table(summary))
        if let pairs = summary.pairs { appendPairs(pairs, into: &doc) }
        if !summary.failures.isEmpty {
            doc.append(.paragraph("Failed methods (no rows in these seeds):"))
            doc.append(.bullets(summary.failures.map { "`\($0.method)` (\($0.type)), seed \($0.seed): \($0.reason)" }))
        }
        for figure in figures[group.slug] ?? [] { doc.append(.image(path: figure.path, caption: figure.caption)) }
        for grid in grids[group.slug] ?? [] {
            if let path = grid.path {
                doc.append(.image(path: path, caption: "Retrieval grid, seed \(grid.seed): per grid query, one strip per row "
                                  + "(\(grid.rows.joined(separator: ", "))): the query (dark frame), then its nearest test images, "
                                  + "green when of the query's category, red when not"))
            } else if let problem = grid.problem {
                doc.append(.paragraph("Retrieval grid, seed \(grid.seed): not drawn: \(problem)"))
            }
        }
        doc.append(.paragraph("Runs:"))
        doc.append(.table(
            header: ["Seed", "File", "Started", "Finished", "Wall time", "Evaluation digest", "Metrics digest", "Weights digest"],
            alignments: [.right, .left, .left, .left, .right, .left, .left, .left],
            rows: group.runs.map { run in
                ["\(run.record.seed)", "`\(displayPath(run.path))`", run.record.provenance.started, run.record.provenance.finished,
                 NumberFormat.duration(run.record.provenance.wallSeconds),
                 "`\(run.record.evaluation.digest.prefix(16))`", "`\(run.storedDigests.metrics.prefix(16))`",
                 "`\(run.storedDigests.weights.prefix(16))`"]
            }))
    }

    /// Every row against every other (`PairedComparisons`): row − column in points of
    /// similarity precision, and the paired test's p in brackets.
    func appendPairs(_ pairs: PairedComparisons, into doc: inout ReportDocument) {
        doc.append(.paragraph("Paired comparisons: each cell is the row's mean similarity precision minus the column's "
                              + "(points), with p of the exact paired sign-flip test of the two rows in brackets."))
        let cells = pairs.rows.indices.map { i in
            [pairs.rows[i]] + pairs.rows.indices.map { j -> String in
                if i == j { return "—" }
                let difference = pairs.differences[i][j].map { value -> String in
                    let text = NumberFormat.fixed(value * 100, decimals: 1)
                    return text.hasPrefix("-") ? text : "+" + text
                } ?? "n/a"
                return difference + " (" + NumberFormat.pValue(pairs.tests[i][j], isBest: false) + ")"
            }
        }
        doc.append(.table(header: ["Row − column"] + pairs.rows, alignments: [.left] + pairs.rows.map { _ in .right }, rows: cells))
    }

    /// The table in the paper's format: Method | Similarity precision | Score@K | the other
    /// metrics | Seeds | p (precision) | p (Score@K).
    func table(_ summary: GroupSummary) -> ReportDocument.Block {
        let metrics = summary.metricNames.filter(ReportMetric.isTableColumn)
        let hasScore = metrics.contains(MetricName.scoreAtK)
        let precision = MetricName.similarityPrecision
        let validated = summary.validationMetricNames.contains(precision)
        let header = ["Method"] + (validated ? [ReportMetric.validationTitle(precision, topK: summary.topK)] : [])
            + metrics.map { ReportMetric.title($0, topK: summary.topK) } + ["Seeds", "p (precision)"]
            + (hasScore ? ["p (Score@\(summary.topK))"] : [])
        let rows = summary.rows.map { row in
            [row.isBest ? "**\(row.row)**" : row.row]
                + (validated ? [NumberFormat.cell(row.validation[precision], metric: precision)] : [])
                + metrics.map { NumberFormat.cell(row.metrics[$0], metric: $0) }
                + ["\(row.seeds.count)", NumberFormat.pValue(row.precisionTest, isBest: row.isBest)]
                + (hasScore ? [NumberFormat.pValue(row.scoreTest, isBest: row.isBest)] : [])
        }
        return .table(header: header, alignments: [.left] + Array(repeating: .right, count: header.count - 1), rows: rows)
    }

    /// Spec, seeds, data, evaluation, code and machine of a group's runs; a value that
    /// differs between seeds is listed with the seeds that have it.
    func provenance(_ group: ExperimentGroup, _ summary: GroupSummary) -> [String] {
        func same(_ value: (RunRecord) -> String) -> String {
            var order: [String] = []
            var seeds: [String: [UInt64]] = [:]
            for run in group.runs {
                let v = value(run.record)
                if seeds[v] == nil { order.append(v) }
                seeds[v, default: []].append(run.record.seed)
            }
            if order.count <= 1 { return order.first ?? "" }
            return order.map { v in
                let s = seeds[v]!
                return "\(v) (seed\(s.count == 1 ? "" : "s") \(s.map(String.init).joined(separator: ", ")))"
            }.joined(separator: "; ")
        }
        let seeds = group.seeds.map(String.init).joined(separator: ", ")
        var lines = [
            "Spec: " + same { "`\($0.specPath)`" },
            "Seeds: \(seeds) (\(group.runs.count) run\(group.runs.count == 1 ? "" : "s"))",
            "Dataset: " + same { d in
                "\(d.dataset.kind), \(d.dataset.count) images in \(d.dataset.categoryNames.count) categories, "
                    + "test fraction \(d.dataset.testFraction), "
                    + (d.dataset.validationFraction > 0 ? "validation fraction \(d.dataset.validationFraction), " : "")
                    + "digest `\(d.dataset.digest)`"
            },
            "Evaluation: " + same { "\($0.evaluation.triplets.count) triplets (\($0.evaluation.source))" }
                + ", Score@K with K = " + summary.topKs.map(String.init).joined(separator: ", "),
            "Code: git commit " + same { p in
                "`\(p.provenance.gitCommit)`" + [-1: " (unknown state)", 0: " (clean)", 1: " (uncommitted changes)"][p.provenance.gitDirty, default: ""]
            } + ", deeprank " + same { $0.provenance.deeprankVersion } + ", " + same { $0.provenance.swiftVersion },
            "Machine: BLAS " + same { "\($0.provenance.blas) (\($0.provenance.blasCore))" } + ", "
                + (group.runs.allSatisfy { $0.record.provenance.instructionSet != nil }
                    ? "chain kernels " + same { $0.provenance.instructionSet ?? "" } + ", " : "")
                + same { "\($0.provenance.threads) thread\($0.provenance.threads == 1 ? "" : "s")" } + ", CPU "
                + same { $0.provenance.cpuModel } + ", " + same { $0.provenance.os },
        ]
        let walls = group.runs.compactMap(\.record.provenance.wallSeconds)
        lines.append("Wall time: " + NumberFormat.duration(walls.count == group.runs.count ? walls.reduce(0, +) : nil)
                     + " for the \(group.runs.count) run\(group.runs.count == 1 ? "" : "s") (each from its start to its finish; "
                     + "a resumed run from its last start)")
        if group.runs.contains(where: { $0.record.validation != nil }) {
            lines.insert("Validation: " + same { r in r.validation.map { "\($0.triplets.count) triplets from \(r.dataset.validation.count) images" } ?? "none" }
                         + "; best row chosen on the \(summary.chosenOn.rawValue) split", at: 4)
        }
        if let point = group.sweepPoint { lines.insert("Sweep: `\(point.key)` = \(point.label)", at: 1) }
        return lines
    }
}

/// A retrieval grid of one run: its file, or why it was not drawn.
struct GridOutcome {
    var seed: UInt64
    var path: String?
    var rows: [String]
    var problem: String?
}
