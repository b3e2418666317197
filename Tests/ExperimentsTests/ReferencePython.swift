import Foundation

/// A Python with h5py and numpy for tests that check our files with an independent reader
/// or run `Tests/Reference` scripts (`.ci/install-deps` installs Debian's python3-h5py).
enum ReferencePython {
    /// The first of `$DEEPRANK_PYTHON`, /opt/refenv/bin/python, `python3` and /usr/bin/python3
    /// that imports h5py; nil when none does (the caller fails: a test is never skipped).
    static func withH5py() -> [String]? {
        var candidates = [["/opt/refenv/bin/python"], ["/usr/bin/env", "python3"], ["/usr/bin/python3"]]
        if let chosen = ProcessInfo.processInfo.environment["DEEPRANK_PYTHON"] { candidates.insert(["/usr/bin/env", chosen], at: 0) }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate[0]) {
            if let (status, _) = try? run(candidate, ["-c", "import h5py"]), status == 0 { return candidate }
        }
        return nil
    }

    /// Runs `command + arguments` to the end; its exit status and standard output and error.
    static func run(_ command: [String], _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst()) + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
