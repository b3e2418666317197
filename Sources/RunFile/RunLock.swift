import Foundation

/// The exclusive lock `<output>.lock` that keeps two runs from writing the same run file.
///
/// The lock is the kernel's: a run opens the lock file and holds `flock(LOCK_EX)` on it for
/// as long as it holds the lock, so whether a lock is held is never guessed from a process
/// id (a pid reused by an unrelated process is not mistaken for the holder) and a process
/// that dies, however it dies (SIGKILL, `scancel`), releases it at once. The file also
/// holds `<pid> <hostname>`, followed by ` slurm <job>_<task>` under SLURM (`Holder`), for
/// messages and `deeprank status`. Taking the lock:
/// 1. open (or create) the lock file and try `flock(LOCK_EX | LOCK_NB)`: if another open
///    file holds it, a live run holds the lock (`RunFileError.locked`);
/// 2. check that the locked file is still the one at the path (a run that released the lock
///    has unlinked it; then start again), so of any number of runs that race for a lock,
///    stale or not, exactly one wins;
/// 3. a file naming a holder on another host is taken over only when `isGone` says that
///    holder is gone (the cluster code asks SLURM whether its task still runs), since not
///    every shared file system carries `flock` between hosts;
/// 4. write our holder text. `release()` (or the lock object going away) unlinks the file
///    and closes it.
public final class RunLock {
    /// The run file the lock is for, and the lock file.
    public let output: String
    public let path: String
    /// The open lock file, holding `flock(LOCK_EX)`; -1 once released.
    private var descriptor: Int32

    private init(output: String, path: String, descriptor: Int32) {
        self.output = output; self.path = path; self.descriptor = descriptor
    }

    deinit { release() }

    /// Takes the lock for `output`, or throws `RunFileError.locked` when a live run holds it.
    public static func acquire(for output: String, isGone: (Holder) -> Bool = { _ in false }) throws -> RunLock {
        let path = output + ".lock"
        let host = ProcessInfo.processInfo.hostName
        for _ in 0..<8 {
            let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw RunFileError.cannotLock(file: output, lock: path, reason: String(cString: strerror(errno)))
            }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                let reason = errno
                close(descriptor)
                guard reason == EWOULDBLOCK else {
                    throw RunFileError.cannotLock(file: output, lock: path, reason: String(cString: strerror(reason)))
                }
                throw RunFileError.locked(file: output, lock: path, holder: holderText(of: output) ?? "")
            }
            var locked = stat(), current = stat()
            guard fstat(descriptor, &locked) == 0, stat(path, &current) == 0,
                  locked.st_ino == current.st_ino, locked.st_dev == current.st_dev else {
                close(descriptor)  // released and unlinked meanwhile: try the new file
                continue
            }
            let previous = holderText(of: output) ?? ""
            if let holder = Holder(parsing: previous), holder.host != host, !isGone(holder) {
                close(descriptor)
                throw RunFileError.locked(file: output, lock: path, holder: previous)
            }
            let me = Holder(pid: getpid(), host: host, slurmTask: Holder.currentSlurmTask())
            let text = Array((me.text + "\n").utf8)
            let written = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
            guard ftruncate(descriptor, off_t(text.count)) == 0, written == text.count else {
                let reason = String(cString: strerror(errno))
                unlink(path)
                close(descriptor)
                throw RunFileError.cannotLock(file: output, lock: path, reason: "cannot write the process id: \(reason)")
            }
            return RunLock(output: output, path: path, descriptor: descriptor)
        }
        throw RunFileError.cannotLock(file: output, lock: path, reason: "the lock file keeps being replaced")
    }

    /// Removes the lock file and lets go of the lock (once).
    public func release() {
        guard descriptor >= 0 else { return }
        unlink(path)
        close(descriptor)
        descriptor = -1
    }

    /// The text of the lock file of `output`, trimmed; nil when there is no lock file.
    public static func holderText(of output: String) -> String? {
        (try? String(contentsOfFile: output + ".lock", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether a process of this host holds the lock of `output`: the kernel's table of
    /// `flock` locks (`/proc/locks`) lists the lock file's inode. Reading it takes no lock, so
    /// asking never disturbs a run that is taking one. A holder on another host does not
    /// show here.
    public static func isHeldOnThisHost(_ output: String) -> Bool {
        var file = stat()
        guard stat(output + ".lock", &file) == 0,
              let table = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return false }
        let device = UInt64(file.st_dev)
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
        let minor = (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
        let key = String(format: "%02llx:%02llx:%llu", major, minor, UInt64(file.st_ino))
        // Lines read `1: FLOCK  ADVISORY  WRITE 4711 00:2a:123456 0 EOF`.
        return table.split(separator: "\n").contains { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return fields.count >= 6 && fields[1] == "FLOCK" && fields[5] == key
        }
    }

    /// The holder of the lock file of `output`, nil when there is no lock file or its text is
    /// not (yet) a holder.
    public static func holder(of output: String) -> Holder? { holderText(of: output).flatMap(Holder.init(parsing:)) }

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
