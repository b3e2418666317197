import ArgumentParser
import Foundation
import Reporting

/// `deeprank compare A.h5 B.h5`: what differs between two runs (Reporting, `RunComparison`).
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Show what differs between two run files: spec keys, digests, metrics (B − A) and provenance.",
        discussion: "Exits 0 whether or not the runs differ; 1 only when a file cannot be read.")

    @Argument(help: "The first run file (A).")
    var a: String

    @Argument(help: "The second run file (B).")
    var b: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        do {
            let comparison = try RunComparison(try ReportRun.load(path: a), try ReportRun.load(path: b))
            print(json ? try comparison.json() : comparison.text, terminator: "")
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
