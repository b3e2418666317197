import ArgumentParser
import Experiments
import Foundation

/// `deeprank check SPEC...`: validates experiment specs without opening data or training
/// (the parser's checks, and the plan of each spec's first seed).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate experiment specs without running them.",
        discussion: "Prints 'SPEC: ok (...)' for a valid spec, or 'SPEC:LINE:COLUMN: key: problem (allowed: ...)'; "
            + "exits non-zero when any spec is invalid. Experiments/README.md describes the format.")

    @Argument(help: "Spec files (YAML).")
    var specs: [String]

    func validate() throws {
        if specs.isEmpty { throw ValidationError("name at least one spec file") }
    }

    func run() throws {
        var failed = false
        for path in specs {
            let result = SpecCheck(path: path)
            if result.ok {
                print(result.message)
            } else {
                failed = true
                FileHandle.standardError.write(Data((result.message + "\n").utf8))
            }
        }
        if failed { throw ExitCode.failure }
    }
}
