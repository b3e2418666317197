import Foundation

/// The exclusive lock `<output>.lock` that keeps two runs from writing the same run file.
///
/// The lock file is created with `O_CREAT | O_EXCL` (atomic: of two runs, one creates it
/// and the other finds it there) and holds `<pid> <hostname>`, followed by ` slurm
/// <job>_<task>` when the run is a SLURM array task (`RunLock.Holder`). It is removed by
/// `release()` or when the lock object goes away. A process killed on the spot (SIGKILL,
/// `scancel`) leaves it behind; such a stale lock is taken over when its host is this host
/// and its pid no longer exists (`kill(pid, 0)` fails with ESRCH), or when the caller's
/// `isGone` says so (the cluster code asks SLURM whether a lock's job still runs). A lock
/// from another host, or one whose contents are not yet written (its creator is starting),
/// otherwise counts as held.
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
    public static func acquire(for output: String, isGone: (Holder) -> Bool = { _ in false }) throws -> RunLock {
        let path = output + ".lock"
        let host = ProcessInfo.processInfo.hostName
        for _ in 0..<3 {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if descriptor >= 0 {
                let me = Holder(pid: getpid(), host: host, slurmTask: Holder.currentSlurmTask())
                let text = Array((me.text + "\n").utf8)
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
            guard isStale(holder, host: host) || Holder(parsing: holder).map(isGone) == true else {
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

    /// Whether `holder` (a lock file's text) names a process on this host that no longer exists.
    static func isStale(_ holder: String, host: String) -> Bool {
        guard let holder = Holder(parsing: holder), holder.host == host else { return false }
        return kill(holder.pid, 0) != 0 && errno == ESRCH
    }

    /// The holder of the lock file of `output`, nil when there is no lock file or its text is
    /// not (yet) a holder.
    public static func holder(of output: String) -> Holder? {
        (try? String(contentsOfFile: output + ".lock", encoding: .utf8)).flatMap(Holder.init(parsing:))
    }

    /// Who holds a lock: the text of the lock file, `<pid> <host>[ slurm <job>_<task>]`.
    public struct Holder: Equatable, Sendable {
        public var pid: pid_t
        public var host: String
        /// `<array job id>_<task id>` (or the job id of a job that is not an array) when the
        /// holder runs under SLURM.
        public var slurmTask: String?

        public init(pid: pid_t, host: String, slurmTask: String?) {
            self.pid = pid; self.host = host; self.slurmTask = slurmTask
        }

        public init?(parsing text: String) {
            let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
            guard words.count == 2 || (words.count == 4 && words[2] == "slurm"), let pid = pid_t(words[0]), pid > 0 else {
                return nil
            }
            self.init(pid: pid, host: words[1], slurmTask: words.count == 4 ? words[3] : nil)
        }

        public var text: String { "\(pid) \(host)" + (slurmTask.map { " slurm \($0)" } ?? "") }

        /// Whether this holder is a process of this host that no longer exists.
        public var isDeadOnThisHost: Bool {
            host == ProcessInfo.processInfo.hostName && kill(pid, 0) != 0 && errno == ESRCH
        }

        /// The SLURM task this process runs as, from SLURM's environment, or nil.
        public static func currentSlurmTask() -> String? {
            let environment = ProcessInfo.processInfo.environment
            if let job = environment["SLURM_ARRAY_JOB_ID"], let task = environment["SLURM_ARRAY_TASK_ID"] {
                return "\(job)_\(task)"
            }
            return environment["SLURM_JOB_ID"]
        }
    }
}
