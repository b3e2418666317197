import ArgumentParser
import Foundation
import Experiments
import Reporting
import RunFile

/// `deeprank report RUN.h5|DIR...`: tables, figures and retrieval grids from run files
/// alone (Reporting, `Report`).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Regenerate result tables, figures and retrieval grids from run files, without training.",
        discussion: "Writes report.md, report.html, report.csv, runs.csv, figures/*.svg and grids/*.png into the output "
            + "folder. Folders are searched recursively for *.h5 run files. The same run files give the same report, "
            + "byte for byte.")

    @Argument(help: "Run files and folders holding run files.")
    var inputs: [String]

    @Option(name: .customLong("out"), help: "Output folder (default: the first folder given, else the first file's folder).")
    var outputDirectory: String?

    @Flag(inversion: .prefixedNo, help: "Draw retrieval grids (they re-open each run's data set).")
    var grids = true

    @Flag(name: .customLong("grids-for-every-seed"), help: "Draw a grid for every seed, not only each table's first.")
    var gridsForEverySeed = false

    func run() throws {
        do {
            var options = Report.Options(inputs: inputs, outputDirectory: outputDirectory, datasets: grids ? RunDataset.open : nil)
            options.gridsForEverySeed = gridsForEverySeed
            let report = try Report.make(options)
            for warning in report.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
            let written = try report.write()
            print("report: \(report.summaries.count) table(s) from \(report.summaries.map(\.group.runs.count).reduce(0, +)) "
                  + "run file(s); wrote \(written.count) files in \(report.outputDirectory):")
            for path in written { print("  \(path)") }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
