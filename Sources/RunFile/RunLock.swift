import Foundation

/// The exclusive lock `<output>.lock` that keeps two runs from writing the same run file.
///
/// The lock file is created with `O_CREAT | O_EXCL` (atomic: of two runs, one creates it
/// and the other finds it there) and holds `<pid> <hostname>`. It is removed by `release()`
/// or when the lock object goes away. A process killed on the spot (SIGKILL) leaves it
/// behind; such a stale lock is taken over when its host is this host and its pid no
/// longer exists (`kill(pid, 0)` fails with ESRCH). A lock from another host, or one
/// whose contents are not yet written (its creator is starting), always counts as held.
/// Takeover renames the stale file aside before removing it, so two runs that find the
/// same stale lock cannot both remove it; which of them then creates the new lock is
/// decided by `O_EXCL` as usual.
public final class RunLock {
    /// The run file the lock is for, and the lock file.
    public let output: String
    public let path: String
    private var held = true

    private init(output: String, path: String) { self.output = output; self.path = path }

    deinit { release() }

    /// Takes the lock for `output`, or throws `RunFileError.locked` when a live run holds it.
    public static func acquire(for output: String) throws -> RunLock {
        let path = output + ".lock"
        let host = ProcessInfo.processInfo.hostName
        for _ in 0..<3 {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if descriptor >= 0 {
                let text = Array("\(getpid()) \(host)\n".utf8)
                let written = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                close(descriptor)
                guard written == text.count else {
                    unlink(path)
                    throw RunFileError.cannotLock(file: output, lock: path, reason: "cannot write the process id")
                }
                return RunLock(output: output, path: path)
            }
            guard errno == EEXIST else {
                throw RunFileError.cannotLock(file: output, lock: path, reason: String(cString: strerror(errno)))
            }
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard isStale(holder, host: host) else {
                throw RunFileError.locked(file: output, lock: path, holder: holder)
            }
            let aside = "\(path).stale-\(getpid())"
            if rename(path, aside) == 0 { unlink(aside) }
        }
        throw RunFileError.cannotLock(file: output, lock: path, reason: "the lock file keeps reappearing")
    }

    /// Removes the lock file (once).
    public func release() {
        guard held else { return }
        held = false
        unlink(path)
    }

    /// Whether `holder` (`<pid> <host>`) names a process on this host that no longer exists.
    static func isStale(_ holder: String, host: String) -> Bool {
        let parts = holder.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[1] == host, let pid = pid_t(parts[0]), pid > 0 else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}
