import Experiments
import Foundation
import Imaging
import Storage

/// `deeprank report` (issue 6): tables, figures and retrieval grids made from run files
/// alone, never by training. `Report.make` reads the runs (without weights) and builds every
/// output in memory; `write()` puts them in the output folder, each atomically:
///
///     <out>/report.md      Markdown: per experiment (and sweep value) the paper's table
///     <out>/report.html    the same as one page: inline CSS and SVG, the first grid of each table
///                          as a PNG data URI (the others linked, `grids/...`)
///     <out>/report.csv     one line per (experiment, sweep value, row): every metric's mean, CI, n; p-values
///     <out>/runs.csv       one line per run and row: the stored values
///     <out>/figures/<group>-metrics.svg   similarity precision and Score@K bars with 95% CIs
///     <out>/figures/<group>-loss.svg      training loss per step per method (mean over seeds, smoothed)
///     <out>/figures/<experiment>-sweep.svg  metrics against the swept value (PAPER.md, Figure 6)
///     <out>/grids/<group>-seed-<N>.png    retrieval grids (`RetrievalGrid`), for the first seed of
///                                         each table (every seed with `gridsForEverySeed`)
///
/// `<group>` is `ExperimentGroup.slug`. The same run files give byte-identical outputs.
public struct Report {
    public var summaries: [GroupSummary]
    public var outputDirectory: String
    /// Output files by path relative to `outputDirectory`, in writing order.
    public var files: [(path: String, bytes: [UInt8])]
    /// Problems that did not stop the report (skipped files, grids not drawn).
    public var warnings: [String]

    /// What to read and where to write.
    public struct Options {
        /// Run files and folders (searched recursively, `RunFileSearch`).
        public var inputs: [String]
        /// nil: `defaultOutputDirectory(for: inputs)`.
        public var outputDirectory: String?
        /// Retrieval grids need the runs' data sets; false skips them.
        public var drawGrids: Bool
        /// Grids for every seed; by default only for each table's first seed (a grid is an
        /// illustration, and PNGs of every seed would make committed results large).
        public var gridsForEverySeed = false
        public var grid: RetrievalGrid

        public init(inputs: [String], outputDirectory: String? = nil, drawGrids: Bool = true, grid: RetrievalGrid = RetrievalGrid()) {
            self.inputs = inputs; self.outputDirectory = outputDirectory; self.drawGrids = drawGrids; self.grid = grid
        }
    }

    /// The first folder among `inputs`, else the folder of the first file.
    public static func defaultOutputDirectory(for inputs: [String]) -> String {
        for input in inputs {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue { return input }
        }
        let parent = ((inputs.first ?? ".") as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }

    /// Reads the runs and builds every output. A file named on the command line that is not
    /// a readable run file is an error naming it; a file found in a folder that is not a run
    /// file at all (another HDF5 file) is skipped with a warning.
    public static func make(_ options: Options) throws -> Report {
        let out = options.outputDirectory ?? defaultOutputDirectory(for: options.inputs)
        var warnings: [String] = []
        let explicit = Set(options.inputs.map(standardized))
        let display = { (path: String) in relativePath(path, from: out) }
        var runs: [ReportRun] = []
        for path in try RunFileSearch.runFiles(in: options.inputs) {
            do {
                let run = try ReportRun.load(path: path)
                // A checkpoint of a run still going on (or interrupted) is not a result.
                guard run.record.status == .complete else {
                    warnings.append("\(display(path)): skipped, an unfinished run (status running; resume it with the same command)")
                    continue
                }
                runs.append(run)
            } catch let error as RunFileError where !explicit.contains(standardized(path)) {
                guard case .notARunFile = error else { throw error }
                warnings.append("\(display(path)): skipped, not a run file")
            } catch let error as HDF5Error where !explicit.contains(standardized(path)) {
                guard case .notHDF5 = error else { throw error }
                warnings.append("\(display(path)): skipped, not an HDF5 file")
            }
        }
        guard !runs.isEmpty else { throw ReportError.noRunFiles(paths: options.inputs) }
        let summaries = try ExperimentGroup.grouping(runs).map(GroupSummary.init)

        var files: [(path: String, bytes: [UInt8])] = []
        var figures: [String: [(path: String, caption: String)]] = [:]
        var sweepFigures: [String: String] = [:]
        var assets: [String: HTMLReport.Asset] = [:]
        func add(_ path: String, svg: String) {
            files.append((path, Array(svg.utf8)))
            assets[path] = .svg(svg)
        }
        for summary in summaries {
            let slug = summary.group.slug
            if let svg = MetricBarsFigure.svg(summary) {
                let path = "figures/\(slug)-metrics.svg"
                add(path, svg: svg)
                let metrics = summary.metricNames.contains(ReportMetric.scoreAtK) ? "Similarity precision and Score@\(summary.topK)"
                    : "Similarity precision"
                figures[slug, default: []].append((path, metrics + " per row, mean over seeds with 95% CI"))
            }
            if let svg = TrainingCurveFigure.svg(summary.group) {
                let path = "figures/\(slug)-loss.svg"
                add(path, svg: svg)
                figures[slug, default: []].append((path, "Training loss per step, mean over seeds (faint) and its moving average"))
            }
        }
        var experiments: [String] = []
        for s in summaries where !experiments.contains(s.group.experiment) { experiments.append(s.group.experiment) }
        for experiment in experiments {
            let swept = summaries.filter { $0.group.experiment == experiment && $0.group.sweepPoint != nil }
            guard let key = swept.first?.group.sweepPoint?.key else { continue }
            let groups = swept.filter { $0.group.sweepPoint?.key == key }
            let slug = ExperimentGroup(experiment: experiment, sweepPoint: nil, runs: []).slug
            if let svg = SweepFigure.svg(experiment: experiment, key: key, groups: groups,
                                         rows: ReportContent.sweptRows(key: key, groups)) {
                let path = "figures/\(slug)-sweep.svg"
                add(path, svg: svg)
                sweepFigures[experiment] = path
            }
        }

        var grids: [String: [GridOutcome]] = [:]
        if options.drawGrids {
            for summary in summaries {
                let drawn = options.gridsForEverySeed ? summary.group.runs : Array(summary.group.runs.prefix(1))
                for run in drawn where !run.record.evaluation.gridQueries.isEmpty {
                    let rows = run.record.rows.filter { $0.neighbours.contains { !$0.isEmpty } }.map(\.row)
                    guard !rows.isEmpty else { continue }
                    var outcome = GridOutcome(seed: run.record.seed, path: nil, rows: rows, problem: nil)
                    do {
                        let dataset = try GridDataset.open(run)
                        if let image = try options.grid.render(run, dataset: dataset) {
                            let path = "grids/\(summary.group.slug)-seed-\(run.record.seed).png"
                            let bytes = try ImageCodec.encodePNG(image)
                            files.append((path, bytes))
                            // The page embeds the first grid of each table and links the others, so that it
                            // stays a few megabytes with many seeds and sweep values.
                            if grids[summary.group.slug, default: []].allSatisfy({ $0.path == nil }) {
                                assets[path] = .png(bytes)
                            }
                            outcome.path = path
                        }
                    } catch {
                        outcome.problem = "\(error)"
                        warnings.append("\(display(run.path)): retrieval grid not drawn: \(error)")
                    }
                    grids[summary.group.slug, default: []].append(outcome)
                }
            }
        }

        let content = ReportContent(summaries: summaries, figures: figures, sweepFigures: sweepFigures, grids: grids,
                                    warnings: warnings, displayPath: display)
        let document = content.document()
        files.insert(("report.md", Array(document.markdown.utf8)), at: 0)
        files.insert(("report.csv", Array(ReportCSV.summary(summaries).utf8)), at: 1)
        files.insert(("runs.csv", Array(ReportCSV.runs(summaries, displayPath: display).utf8)), at: 2)
        let title = "DeepRank report: " + experiments.joined(separator: ", ")
        files.insert(("report.html", Array(HTMLReport.render(document, title: title, assets: assets).utf8)), at: 3)
        return Report(summaries: summaries, outputDirectory: out, files: files, warnings: warnings)
    }

    /// Writes every output under `outputDirectory` (creating `figures/` and `grids/` as
    /// needed), each atomically; returns the paths written.
    @discardableResult
    public func write() throws -> [String] {
        try files.map { file in
            let path = outputDirectory + "/" + file.path
            try AtomicFile.makeDirectory((path as NSString).deletingLastPathComponent)
            try AtomicFile.write(file.bytes, to: path)
            return path
        }
    }

    static func standardized(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    /// `path` relative to the folder `directory` (`../` where needed), as a report shows it.
    public static func relativePath(_ path: String, from directory: String) -> String {
        let target = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        let base = URL(fileURLWithPath: directory).standardizedFileURL.pathComponents
        var common = 0
        while common < min(target.count, base.count), target[common] == base[common] { common += 1 }
        let parts = Array(repeating: "..", count: base.count - common) + target[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
