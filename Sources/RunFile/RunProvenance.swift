import Foundation
import TensorKit

/// `/provenance`: where and how a run was made. Every field is a string or an integer so
/// that h5py and h5dump show it as it is.
public struct RunProvenance: Equatable, Sendable {
    /// `git rev-parse HEAD` in the working directory, or `unknown` outside a git checkout.
    public var gitCommit: String
    /// 1 when `git status --porcelain --untracked-files=no` lists anything (tracked files
    /// changed; untracked files such as results do not count), 0 when clean, -1 unknown.
    public var gitDirty: Int
    /// The compiler version the program was built with, from `#if compiler(>=...)` (running
    /// `swift --version` would be slow and would name the installed toolchain, not the
    /// one that built this binary), and the language mode: `compiler 6.3, language mode 5`.
    public var swiftVersion: String
    /// `BLAS.configuration` and `BLAS.coreType`.
    public var blas: String
    public var blasCore: String
    /// `InstructionSet.selected` (`portable`, `avx2`, `avx512`); nil in files made before the
    /// chain kernels computed the stored bits (the bits do not depend on it either way).
    public var instructionSet: String?
    /// `Parallel.threads` during the run.
    public var threads: Int
    /// `model name` from /proc/cpuinfo, or `unknown`.
    public var cpuModel: String
    public var commandLine: String
    public var hostname: String
    /// `ProcessInfo.operatingSystemVersionString`.
    public var os: String
    /// ISO 8601 UTC, to the second.
    public var started: String
    public var finished: String
    public var deeprankVersion: String

    public init(gitCommit: String, gitDirty: Int, swiftVersion: String, blas: String, blasCore: String, threads: Int,
                cpuModel: String, commandLine: String, hostname: String, os: String, started: String, finished: String,
                deeprankVersion: String, instructionSet: String? = nil) {
        self.gitCommit = gitCommit; self.gitDirty = gitDirty; self.swiftVersion = swiftVersion; self.blas = blas
        self.blasCore = blasCore; self.threads = threads; self.cpuModel = cpuModel; self.commandLine = commandLine
        self.hostname = hostname; self.os = os; self.started = started; self.finished = finished
        self.deeprankVersion = deeprankVersion; self.instructionSet = instructionSet
    }

    /// The provenance of a run in this process, started at `started` and finishing now.
    public static func current(commandLine: String, started: Date, finished: Date = Date()) -> RunProvenance {
        let commit = git(["rev-parse", "HEAD"])?.trimmingCharacters(in: .whitespacesAndNewlines)
        let status = commit == nil ? nil : git(["status", "--porcelain", "--untracked-files=no"])
        return RunProvenance(
            gitCommit: commit ?? "unknown", gitDirty: status.map { $0.isEmpty ? 0 : 1 } ?? -1,
            swiftVersion: swiftVersion, blas: BLAS.configuration, blasCore: BLAS.coreType, threads: Parallel.threads,
            cpuModel: cpuModel(), commandLine: commandLine, hostname: ProcessInfo.processInfo.hostName,
            os: ProcessInfo.processInfo.operatingSystemVersionString, started: timestamp(started),
            finished: timestamp(finished), deeprankVersion: RunFileFormat.deeprankVersion,
            instructionSet: InstructionSet.selected.rawValue)
    }

    /// `2024-05-01T12:00:00Z`.
    public static func timestamp(_ date: Date) -> String {
        timestampFormatter.string(from: date)
    }

    /// Seconds from `started` to `finished`: the wall time of the process that finished the
    /// run (a resumed run counts from its last start); nil when a timestamp does not parse.
    public var wallSeconds: Double? {
        guard let start = Self.timestampFormatter.date(from: started),
              let end = Self.timestampFormatter.date(from: finished) else { return nil }
        return end.timeIntervalSince(start)
    }

    private static var timestampFormatter: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter
    }

    static var swiftVersion: String {
        #if compiler(>=6.5)
        let compiler = "6.5 or later"
        #elseif compiler(>=6.4)
        let compiler = "6.4"
        #elseif compiler(>=6.3)
        let compiler = "6.3"
        #elseif compiler(>=6.2)
        let compiler = "6.2"
        #elseif compiler(>=6.1)
        let compiler = "6.1"
        #else
        let compiler = "6.0"
        #endif
        #if swift(>=6)
        let mode = 6
        #else
        let mode = 5
        #endif
        return "compiler \(compiler), language mode \(mode)"
    }

    /// The first `model name` of /proc/cpuinfo.
    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return "unknown"
    }

    /// git's standard output in the current directory, or nil when git is missing or fails.
    static func git(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
