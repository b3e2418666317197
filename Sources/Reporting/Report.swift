import DatasetKit
import Foundation
import Imaging
import RunFile
import Storage

/// `deeprank report`: tables, figures and retrieval grids made from run files alone, never
/// by training. `Report.make` reads the runs (without weights) and builds every output in
/// memory; `write()` puts them in the output folder, each atomically:
///
///     <out>/report.md      Markdown: per experiment (and sweep value) the paper's table
///     <out>/report.html    the same as one page: inline CSS and SVG, the first grid of each table
///                          as a PNG data URI (the others linked, `grids/...`)
///     <out>/report.csv     one line per (experiment, sweep value, row): every metric's mean, CI, n; p-values
///     <out>/runs.csv       one line per run and row: the stored values
///     <out>/figures/<group>-metrics.svg   similarity precision and Score@K bars with 95% CIs
///     <out>/figures/<group>-loss.svg      training loss per step per method (mean over seeds, smoothed)
///     <out>/figures/<group>-validation.svg  validation precision at each keep_best check per network
///     <out>/figures/<experiment>-sweep.svg  metrics against the swept value (the paper's Figure 6)
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

    /// Re-opens the data set of a run (the run's record and its file, for errors), for the
    /// retrieval grids. Reporting knows run files only; the command line hands this in from
    /// the side that knows specs and data sets (`RunDataset.open`).
    public typealias DatasetOpener = (_ record: RunRecord, _ file: String) throws -> any ImageDataset

    /// What to read and where to write.
    public struct Options {
        /// Run files and folders (searched recursively, `RunFileSearch`).
        public var inputs: [String]
        /// nil: `defaultOutputDirectory(for: inputs)`.
        public var outputDirectory: String?
        /// Opens the runs' data sets for retrieval grids; nil draws no grids.
        public var datasets: DatasetOpener?
        /// Grids for every seed; by default only for each table's first seed (a grid is an
        /// illustration, and PNGs of every seed would make committed results large).
        public var gridsForEverySeed = false
        public var grid: RetrievalGrid

        public init(inputs: [String], outputDirectory: String? = nil, datasets: DatasetOpener? = nil,
                    grid: RetrievalGrid = RetrievalGrid()) {
            self.inputs = inputs; self.outputDirectory = outputDirectory; self.datasets = datasets; self.grid = grid
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

    /// Reads the runs and builds every output: the tables' summaries, the figures of each
    /// table and sweep, the retrieval grids, then the documents that show them.
    public static func make(_ options: Options) throws -> Report {
        let out = options.outputDirectory ?? defaultOutputDirectory(for: options.inputs)
        let display = { (path: String) in relativePath(path, from: out) }
        var warnings: [String] = []
        let runs = try loadRuns(options.inputs, warnings: &warnings, display: display)
        let summaries = try ExperimentGroup.grouping(runs).map(GroupSummary.init)
        var outputs = ReportOutputs()
        for summary in summaries { outputs.addFigures(of: summary) }
        var experiments: [String] = []
        for s in summaries where !experiments.contains(s.group.experiment) { experiments.append(s.group.experiment) }
        for experiment in experiments { outputs.addSweepFigure(of: experiment, summaries) }
        if let datasets = options.datasets {
            for summary in summaries {
                let drawn = options.gridsForEverySeed ? summary.group.runs : Array(summary.group.runs.prefix(1))
                for run in drawn {
                    outputs.addGrid(of: run, in: summary, options.grid, datasets, warnings: &warnings, display: display)
                }
            }
        }
        let content = ReportContent(summaries: summaries, figures: outputs.figures, sweepFigures: outputs.sweepFigures,
                                    grids: outputs.grids, warnings: warnings, displayPath: display)
        let document = content.document()
        let title = "DeepRank report: " + experiments.joined(separator: ", ")
        let documents: [(path: String, bytes: [UInt8])] = [
            ("report.md", Array(document.markdown.utf8)),
            ("report.csv", Array(ReportCSV.summary(summaries).utf8)),
            ("runs.csv", Array(ReportCSV.runs(summaries, displayPath: display).utf8)),
            ("report.html", Array(HTMLReport.render(document, title: title, assets: outputs.assets).utf8)),
        ]
        return Report(summaries: summaries, outputDirectory: out, files: documents + outputs.files, warnings: warnings)
    }

    /// The complete runs of `inputs`. A file named on the command line that is not a readable
    /// run file is an error naming it; a file found in a folder that is not a run file at all
    /// (another HDF5 file), and a run still going on, are skipped with a warning.
    private static func loadRuns(_ inputs: [String], warnings: inout [String],
                                 display: (String) -> String) throws -> [ReportRun] {
        let explicit = Set(inputs.map(standardized))
        var runs: [ReportRun] = []
        for path in try RunFileSearch.runFiles(in: inputs) {
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
        guard !runs.isEmpty else { throw ReportError.noRunFiles(paths: inputs) }
        return runs
    }

    /// Writes every output under `outputDirectory` (creating `figures/` and `grids/` as
    /// needed), all or nothing (`AtomicFile.writeAll`: on a full disk or a read-only folder
    /// the folder holds what it held before); returns the paths written.
    @discardableResult
    public func write() throws -> [String] {
        let outputs = files.map { (path: outputDirectory + "/" + $0.path, bytes: $0.bytes) }
        try AtomicFile.writeAll(outputs)
        return outputs.map(\.path)
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
