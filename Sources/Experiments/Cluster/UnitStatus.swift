import Foundation
import RunFile

/// Where one unit of a plan stands, as `deeprank plan` and `deeprank status` show it.
public struct UnitStatus: Sendable {
    public enum State: String, CaseIterable, Sendable {
        /// No run file, and no task has it.
        case missing
        /// Its SLURM task waits in the queue.
        case queued
        /// A live process holds its lock (or its task runs and is starting).
        case running
        /// Its run file is complete.
        case complete
        /// It started and stopped before the end (killed, cancelled, out of time, an error):
        /// a checkpoint to resume from, a stale lock, or a task that ended without a run file.
        case failed
    }

    public var unit: WorkUnit
    public var state: State
    /// The SLURM task that holds it or last ran it (`<job>_<task>`).
    public var task: String?
    /// `pid 123 on node7`: the process holding the lock.
    public var holder: String?
    /// How far the checkpoint got: `deep-ranking step 40, 2 methods finished`.
    public var progress: String?
    /// Why a failed unit stopped, as far as its log and files tell.
    public var reason: String?

    /// The status of every unit of `plan`. `submission` tells which task last ran a unit and
    /// where its log is; `queue` holds the pending and running SLURM tasks (nil: unknown, so
    /// a lock held on another host counts as held). An output of another spec throws
    /// `ClusterError.foreignFolder`.
    public static func inspect(_ plan: WorkPlan, submission: SubmissionRecord?, queue: [String: String]?) throws -> [UnitStatus] {
        try plan.units.map { try inspect($0, plan: plan, submission: submission, queue: queue) }
    }

    static func inspect(_ unit: WorkUnit, plan: WorkPlan, submission: SubmissionRecord?,
                        queue: [String: String]?) throws -> UnitStatus {
        var status = UnitStatus(unit: unit, state: .missing)
        let lastTask = submission?.lastTask(ofUnit: unit.index)
        status.task = lastTask
        let output = unit.output
        let lockText = RunLock.holderText(of: output)
        let holder = lockText.flatMap(RunLock.Holder.init(parsing:))
        var holderAlive = false
        if let holder {
            status.holder = "pid \(holder.pid) on \(holder.host)"
            holderAlive = isAlive(holder, queue: queue, heldHere: RunLock.isHeldOnThisHost(output))
            // A live holder's task is the one to show; a dead one's is history.
            if holderAlive, let task = holder.slurmTask { status.task = task }
        } else if lockText != nil {
            holderAlive = true  // the lock file is being written: its run is starting
        }

        var checkpointed = false
        if FileManager.default.fileExists(atPath: output) {
            let reader: RunFileReader
            do {
                reader = try RunFileReader(path: output)
            } catch {
                status.state = .failed
                status.reason = "unreadable run file: \(error)"
                return status
            }
            try checkIdentity(of: reader, unit: unit, directory: plan.directory)
            if reader.status == .complete {
                status.state = .complete
                status.holder = nil
                return status
            }
            checkpointed = true
            status.progress = progress(of: reader)
        }
        let queued = lastTask.flatMap { queue?[$0] }
        if holderAlive {
            status.state = .running
        } else if let queued, queued == "RUNNING" || queued == "COMPLETING" || queued == "CONFIGURING" {
            status.state = .running
        } else if queued != nil {
            status.state = .queued
            status.holder = nil
        } else if checkpointed || holder != nil || lastTask != nil {
            status.state = .failed
            status.holder = nil
            status.reason = failureReason(task: status.task, directory: plan.directory, holder: holder,
                                          checkpointed: checkpointed)
        }
        return status
    }

    /// Whether a lock's holder still runs: on this host the kernel's lock table tells
    /// (`heldHere`); elsewhere its SLURM task must be in the queue (without a queue, or
    /// without a task, it counts as alive).
    static func isAlive(_ holder: RunLock.Holder, queue: [String: String]?, heldHere: Bool) -> Bool {
        if holder.host == ProcessInfo.processInfo.hostName { return heldHere }
        guard let task = holder.slurmTask, let queue else { return true }
        return queue[task] != nil
    }

    /// An existing output must be a run of this unit (`SpecRunner.isRun`: the same spec, sweep
    /// variant and seed).
    static func checkIdentity(of reader: RunFileReader, unit: WorkUnit, directory: String) throws {
        guard try SpecRunner.isRun(reader, of: unit.spec, seed: unit.seed) else {
            throw ClusterError.foreignFolder(directory: directory, file: reader.path,
                                             reason: "a run of experiment '\(reader.experiment)', seed \(reader.seed), with "
                                                + "another spec, sweep value or seed than unit \(unit.index)")
        }
    }

    /// `deep-ranking step 40, 2 methods finished`, from a checkpoint file.
    static func progress(of reader: RunFileReader) -> String? {
        let finished = (try? reader.methodNames().count) ?? 0
        let position = (try? reader.checkpointPosition()) ?? nil
        var parts: [String] = []
        if let position { parts.append("\(position.loop) step \(position.step)") }
        parts.append("\(finished) method\(finished == 1 ? "" : "s") finished")
        return parts.joined(separator: ", ")
    }

    /// The last telling line of the task's log (SLURM's `CANCELLED ... DUE TO TIME LIMIT`,
    /// our own error message), and what a new run of the unit will do.
    static func failureReason(task: String?, directory: String, holder: RunLock.Holder?, checkpointed: Bool) -> String {
        var reason = ""
        if let task, let log = try? String(contentsOfFile: TaskLog.path(directory: directory, task: task), encoding: .utf8) {
            let lines = log.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let telling = lines.last { $0.contains("CANCELLED") || $0.contains("error") || $0.contains("Error") }
            reason = telling ?? lines.last.map { "ended after: \($0)" } ?? "ended with an empty log"
        } else if let holder {
            reason = "its process (\(holder.text)) is gone"
        } else {
            reason = "its task ended without a run file"
        }
        return reason + (checkpointed ? "; a new run resumes from the checkpoint" : "; a new run starts it afresh")
    }
}
