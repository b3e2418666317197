import Foundation

/// Runs a committed reference benchmark script (`Tests/Reference/bench_torch.py`,
/// `bench_features_skimage.py`) as
/// a subprocess and lays its figures beside ours.
public struct ReferenceComparison {
    /// The Python interpreter that has torch installed.
    public var python: String
    /// Path of the reference script.
    public var script: String

    public init(python: String, script: String) {
        self.python = python
        self.script = script
    }

    public enum Failure: Error, CustomStringConvertible {
        case scriptMissing(String)
        case failed(command: String, status: Int32, output: String)
        case noJSON(command: String, output: String)

        public var description: String {
            switch self {
            case .scriptMissing(let path):
                return "reference benchmark script not found: \(path) (run from the repository root)"
            case .failed(let command, let status, let output):
                return "\(command) exited with status \(status):\n\(output.suffix(2000))"
            case .noJSON(let command, let output):
                return "\(command) printed no JSON object on its last line:\n\(output.suffix(2000))"
            }
        }
    }

    /// Runs the script with the given arguments and decodes the JSON object on its last line.
    public func run(arguments: [String]) throws -> [String: Any] {
        guard FileManager.default.fileExists(atPath: script) else { throw Failure.scriptMissing(script) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        let command = ([python, script] + arguments).joined(separator: " ")
        guard process.terminationStatus == 0 else {
            throw Failure.failed(command: command, status: process.terminationStatus, output: output)
        }
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        guard let object = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any] else {
            throw Failure.noJSON(command: command, output: output)
        }
        return object
    }

    /// A side-by-side table: each numeric key, ours, theirs and ours/theirs (for memory and
    /// times, lower is better; the column says so).
    public static func table(ours: [String: Any], theirs: [String: Any], keys: [String],
                             referenceName: String = "PyTorch") -> String {
        func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - s.count))
            return left ? s + fill : fill + s
        }
        var lines = [pad("figure", 24, left: true) + pad("DeepRank", 12) + pad(referenceName, 12) + pad("ours/theirs", 13)]
        for key in keys {
            guard let a = (ours[key] as? NSNumber)?.doubleValue,
                  let b = (theirs[key] as? NSNumber)?.doubleValue else { continue }
            let lowerIsBetter = key.hasSuffix("_ms_median") || key.contains("peak_rss")
            let ratio = b == 0 ? "n/a" : String(format: "%.2fx", a / b)
            lines.append(pad(key, 24, left: true) + pad(String(format: "%.1f", a), 12)
                         + pad(String(format: "%.1f", b), 12) + pad(ratio, 13)
                         + (lowerIsBetter ? "  (lower is better)" : ""))
        }
        return lines.joined(separator: "\n")
    }
}
