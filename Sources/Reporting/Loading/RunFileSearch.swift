import Foundation

/// Finds the run files named by command-line inputs: a file is taken as it is; a folder is
/// searched recursively for `*.h5`, skipping the temporary files of unfinished writes
/// (`*.tmp-*`) and lock files (`*.lock`). The result is sorted by path and free of
/// duplicates, so a report does not depend on the order in which folders are listed.
public enum RunFileSearch {
    public static func runFiles(in inputs: [String]) throws -> [String] {
        var found: [String] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                throw ReportError.noSuchInput(path: input)
            }
            guard isDirectory.boolValue else { found.append(input); continue }
            let base = input.hasSuffix("/") ? String(input.dropLast()) : input
            let entries = FileManager.default.enumerator(atPath: base)?.compactMap { $0 as? String } ?? []
            for entry in entries where isRunFileName(entry) {
                var entryIsDirectory: ObjCBool = false
                let path = base + "/" + entry
                if FileManager.default.fileExists(atPath: path, isDirectory: &entryIsDirectory), !entryIsDirectory.boolValue {
                    found.append(path)
                }
            }
        }
        var seen = Set<String>()
        let unique = found.filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }
        guard !unique.isEmpty else { throw ReportError.noRunFiles(paths: inputs) }
        return unique.sorted()
    }

    /// `*.h5`, but not `*.tmp-*` or `*.lock`.
    static func isRunFileName(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        return name.hasSuffix(".h5") && !name.contains(".tmp-") && !name.hasSuffix(".lock")
    }
}
