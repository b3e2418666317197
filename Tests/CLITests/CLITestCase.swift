import Foundation
import XCTest

/// What every CLI test shares: the built `deeprank` binary (a failure when it is not built)
/// and ways to run it as a user does.
class CLITestCase: XCTestCase {
    /// `.build/<triple>/<config>/deeprank`, next to the test executable (`swift build
    /// --build-tests` builds both into the same folder; without it every CLI test fails).
    var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("deeprank")
    }

    /// The repository root (this file is `Tests/CLITests/CLITestCase.swift`).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw NSError(domain: "a missing prerequisite fails the test (it is never skipped)", code: 1, userInfo: [NSLocalizedDescriptionKey: "\\(binary.path) not built (run `swift build --build-tests` first)"])
        }
    }

    /// A spec on the tiny synthetic data set every CLI test uses (3 categories of 12 images,
    /// 32 pixels, 16 evaluation triplets): `experiment`, `seeds` and the `methods` lines
    /// (YAML list items, one per line) are the test's own.
    static func tinySpec(experiment: String, seeds: [UInt64], methods: [String]) -> String {
        """
        experiment: \(experiment)
        seeds: [\(seeds.map(String.init).joined(separator: ", "))]
        dataset: {kind: synthetic, categories: 3, images_per_category: 12, image_size: 32}
        split: {test_fraction: 0.34}
        input: {size: 32}
        evaluation: {triplets: 16, relevance_gap: 0.1}
        methods:
        \(methods.map { "  " + $0 }.joined(separator: "\n"))

        """
    }

    /// Runs `deeprank` to the end; standard output and standard error together. `environment`
    /// replaces those variables of the test's own environment.
    func deeprank(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Runs `deeprank` to the end; standard output and standard error apart.
    func deeprankSeparately(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("CLITest-\(UUID().uuidString)").path
        defer {
            try? FileManager.default.removeItem(atPath: logs + ".out")
            try? FileManager.default.removeItem(atPath: logs + ".err")
        }
        let process = try start(arguments, output: logs + ".out", errors: logs + ".err")
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOfFile: logs + ".out", encoding: .utf8),
                try String(contentsOfFile: logs + ".err", encoding: .utf8))
    }

    /// Starts `deeprank` in the background, its output going to the file `output` (and its
    /// errors to `errors`, or the same file).
    func start(_ arguments: [String], output: String, errors: String? = nil) throws -> Process {
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        if let errors {
            _ = FileManager.default.createFile(atPath: errors, contents: nil)
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        } else {
            process.standardError = process.standardOutput
        }
        try process.run()
        return process
    }

    /// A new temporary directory, removed when the test ends.
    func makeTemporaryDirectory(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
