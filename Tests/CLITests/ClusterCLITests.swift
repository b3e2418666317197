import Foundation
import XCTest

/// The cluster path against a real SLURM: `.ci/slurm-cluster` brings up munged, slurmctld
/// and slurmd as a one-node cluster on 127.0.0.1 for this class and stops them after it.
/// Specs are submitted with `deeprank submit`, followed with `deeprank status`, gathered with
/// `deeprank report`, and every unit's digests are compared with a local `deeprank run`.
final class ClusterCLITests: CLITestCase {
    static var script: String { repositoryRoot.appendingPathComponent(".ci/slurm-cluster").path }

    override class func setUp() {
        super.setUp()
        clusterStart = Self.shell([script, "up"])
        // `env` prints SLURM_CONF=<the cluster's slurm.conf>, which every SLURM command needs.
        let environment = Self.shell([script, "env"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        if let conf = environment.components(separatedBy: "SLURM_CONF=").last, !conf.isEmpty {
            setenv("SLURM_CONF", conf, 1)
        }
    }

    override class func tearDown() {
        _ = Self.shell([script, "down"])
        super.tearDown()
    }

    nonisolated(unsafe) static var clusterStart: (status: Int32, output: String) = (-1, "")

    struct ClusterDown: Error, CustomStringConvertible {
        var output: String
        var description: String { "the one-node SLURM cluster did not start (.ci/slurm-cluster up):\n\(output)" }
    }

    /// A cluster that does not start fails every test (it is never a skip).
    override func setUpWithError() throws {
        try super.setUpWithError()
        guard Self.clusterStart.status == 0 else { throw ClusterDown(output: Self.clusterStart.output) }
    }

    /// A sweep of 2 margins x `seeds` on the tiny synthetic data; `steps` of deep ranking.
    func writeSpec(_ name: String, in directory: URL, seeds: [UInt64], steps: Int) throws -> String {
        let path = directory.appendingPathComponent("\(name).yaml").path
        try (Self.tinySpec(experiment: name, seeds: seeds, methods: [
            "- {name: lbp, type: handcrafted, feature: lbp}",
            "- {name: deep-ranking, type: deep-ranking, network: {preset: tiny, input_size: 32}, steps: \(steps), batch_size: 4}",
        ]) + "sweep: {key: methods.deep-ranking.margin, values: [0.1, 0.2]}\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `deeprank compare A B` lists every digest as `same`.
    func assertSameDigests(_ a: String, _ b: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let (status, output) = try deeprank(["compare", a, b])
        XCTAssertEqual(status, 0, output, file: file, line: line)
        let digests = output.components(separatedBy: "Digests:").last?.components(separatedBy: "\n\n").first ?? ""
        let lines = digests.split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 5, output, file: file, line: line)
        for digest in lines { XCTAssertTrue(digest.contains(" same "), "\(a) vs \(b): \(digest)\n\(output)", file: file, line: line) }
    }

    /// The job id `deeprank submit` printed.
    func jobID(_ output: String) -> String? {
        output.components(separatedBy: "submitted job ").dropFirst().first?.prefix { $0.isNumber }.description
    }

    func testSubmitASweepFollowItGatherItAndMatchALocalRun() throws {
        let directory = try makeTemporaryDirectory("ClusterSweep")
        let spec = try writeSpec("cluster-sweep", in: directory, seeds: [1, 2], steps: 40)
        let out = directory.appendingPathComponent("cluster").path

        let planned = try deeprank(["plan", spec, "--out", out])
        XCTAssertEqual(planned.status, 0, planned.output)
        XCTAssertTrue(planned.output.contains("4 units in \(out): 4 missing"), planned.output)
        for unit in ["0     margin=0.1  1     missing", "3     margin=0.2  2     missing"] {
            XCTAssertTrue(planned.output.contains(unit), planned.output)
        }

        let submitted = try deeprank(["submit", spec, "--out", out, "--cpus-per-task", "1", "--time", "00:10:00",
                                      "--checkpoint-every", "5"])
        XCTAssertEqual(submitted.status, 0, submitted.output)
        XCTAssertNotNil(jobID(submitted.output), submitted.output)
        let script = try String(contentsOfFile: out + "/slurm/cluster-sweep.sbatch", encoding: .utf8)
        for line in ["#SBATCH --array=0-3", "#SBATCH --cpus-per-task=1", "#SBATCH --time=00:10:00",
                     "#SBATCH --output=\(out)/slurm/logs/%A_%a.log", "--unit \"$SLURM_ARRAY_TASK_ID\"",
                     "--threads \"${SLURM_CPUS_PER_TASK:-1}\"", "--checkpoint-every 5"] {
            XCTAssertTrue(script.contains(line), "\(line) not in\n\(script)")
        }

        let during = try deeprank(["status", out])
        XCTAssertEqual(during.status, 0, during.output)
        XCTAssertTrue(during.output.contains("queued") || during.output.contains("running") || during.output.contains("complete"),
                      during.output)
        let after = try deeprank(["status", out, "--wait", "--interval", "0.5"])
        XCTAssertEqual(after.status, 0, after.output)
        XCTAssertTrue(after.output.contains("4 units in \(out): 4 complete"), after.output)

        // Submitting again has nothing to do.
        let again = try deeprank(["submit", spec, "--out", out, "--checkpoint-every", "5"])
        XCTAssertEqual(again.status, 0, again.output)
        XCTAssertTrue(again.output.contains("nothing to submit"), again.output)

        // The same spec run locally gives the same bits in every unit, and the same report tables.
        let local = directory.appendingPathComponent("local").path
        let run = try deeprank(["run", spec, "--out", local, "--threads", "2"])
        XCTAssertEqual(run.status, 0, run.output)
        for folder in ["margin=0.1", "margin=0.2"] {
            for seed in [1, 2] {
                try assertSameDigests("\(out)/\(folder)/seed-\(seed).h5", "\(local)/\(folder)/seed-\(seed).h5")
            }
        }
        for folder in [out, local] {
            let report = try deeprank(["report", folder])
            XCTAssertEqual(report.status, 0, report.output)
        }
        XCTAssertEqual(try String(contentsOfFile: out + "/report.csv", encoding: .utf8),
                       try String(contentsOfFile: local + "/report.csv", encoding: .utf8))
    }

    func testAUnitCancelledMidTrainingResumesWhenSubmittedAgainAndEndsWithTheUninterruptedBits() throws {
        let directory = try makeTemporaryDirectory("ClusterCancel")
        let spec = try writeSpec("cluster-cancel", in: directory, seeds: [1], steps: 300)
        let out = directory.appendingPathComponent("cluster").path
        let first = try deeprank(["submit", spec, "--out", out, "--cpus-per-task", "2", "--checkpoint-every", "5"])
        XCTAssertEqual(first.status, 0, first.output)
        let job = try XCTUnwrap(jobID(first.output), first.output)

        // Wait until unit 0 trains (a checkpoint in the middle of deep ranking), then cancel it.
        let deadline = Date().addingTimeInterval(120)
        var status = ""
        while Date() < deadline {
            status = try deeprank(["status", out]).output
            if status.range(of: #"0 +margin=0\.1 +1 +running .*deep-ranking step [1-9]"#,
                                                                  options: .regularExpression) != nil { break }
            usleep(100_000)
        }
        XCTAssertNotNil(status.range(of: #"0 +margin=0\.1 +1 +running +\#(job)_0 \(pid [0-9]+ on "#, options: .regularExpression),
                        status)
        let cancel = Self.shell(["/usr/bin/scancel", "\(job)_0"])
        XCTAssertEqual(cancel.status, 0, cancel.output)
        var cancelled = ""
        while Date() < deadline {
            cancelled = try deeprank(["status", out]).output
            if cancelled.contains("unit 0 failed") { break }
            usleep(200_000)
        }
        XCTAssertTrue(cancelled.contains("unit 0 failed: ") && cancelled.contains("CANCELLED")
                      && cancelled.contains("a new run resumes from the checkpoint"), cancelled)
        XCTAssertNotNil(cancelled.range(of: #"0 +margin=0\.1 +1 +failed +\#(job)_0 +deep-ranking step [1-9]"#,
                                        options: .regularExpression), cancelled)
        _ = try deeprank(["status", out, "--wait", "--interval", "0.5"])  // unit 1 finishes

        // Submit again: only the cancelled unit, which resumes from its checkpoint.
        let second = try deeprank(["submit", spec, "--out", out, "--cpus-per-task", "2", "--checkpoint-every", "5"])
        XCTAssertEqual(second.status, 0, second.output)
        XCTAssertTrue(second.output.contains("(1 of 2 units: 0)"), second.output)
        let secondJob = try XCTUnwrap(jobID(second.output))
        let done = try deeprank(["status", out, "--wait", "--interval", "0.5"])
        XCTAssertEqual(done.status, 0, done.output)
        XCTAssertTrue(done.output.contains("2 units in \(out): 2 complete"), done.output)
        let resumed = try String(contentsOfFile: "\(out)/slurm/logs/\(secondJob)_0.log", encoding: .utf8)
        XCTAssertTrue(resumed.contains("deep-ranking: resuming at step"), resumed)

        let local = directory.appendingPathComponent("local").path
        let run = try deeprank(["run", spec, "--out", local, "--threads", "2"])
        XCTAssertEqual(run.status, 0, run.output)
        try assertSameDigests("\(out)/margin=0.1/seed-1.h5", "\(local)/margin=0.1/seed-1.h5")
        try assertSameDigests("\(out)/margin=0.2/seed-1.h5", "\(local)/margin=0.2/seed-1.h5")
    }

    /// Four runs of one unit started at once, into a fresh folder and into one with a stale
    /// lock (its pid long gone): exactly one trains, the others are refused.
    func testRunsOfOneUnitStartedAtOnceTrainItOnceWithAndWithoutAStaleLock() throws {
        let directory = try makeTemporaryDirectory("ClusterRace")
        let spec = try writeSpec("cluster-race", in: directory, seeds: [1], steps: 200)
        for stale in [false, true] {
            let out = directory.appendingPathComponent(stale ? "stale" : "fresh").path
            let output = "\(out)/margin=0.2/seed-1.h5"
            if stale {
                try FileManager.default.createDirectory(atPath: out + "/margin=0.2", withIntermediateDirectories: true)
                let gone = Process()
                gone.executableURL = URL(fileURLWithPath: "/bin/true")
                try gone.run()
                gone.waitUntilExit()
                try "\(gone.processIdentifier) \(ProcessInfo.processInfo.hostName)\n"
                    .write(toFile: output + ".lock", atomically: false, encoding: .utf8)
            }
            let command = ["run", spec, "--out", out, "--unit", "1", "--threads", "1"]
            let runs = try (0..<4).map { try start(command, output: directory.path + "/\(stale)-\($0).log") }
            runs.forEach { $0.waitUntilExit() }
            let logs = try (0..<4).map { try String(contentsOfFile: directory.path + "/\(stale)-\($0).log", encoding: .utf8) }
            let all = logs.joined(separator: "\n---\n")
            XCTAssertEqual(runs.map(\.terminationStatus).sorted(), [0, 1, 1, 1], all)
            XCTAssertEqual(logs.filter { $0.contains("wrote \(output)") }.count, 1, all)
            XCTAssertEqual(logs.filter { $0.contains("another run is writing it") }.count, 3, all)
            XCTAssertFalse(FileManager.default.fileExists(atPath: output + ".lock"), all)
        }
    }

    func testErrorsAreClearAndWriteNothing() throws {
        let directory = try makeTemporaryDirectory("ClusterErrors")
        let spec = try writeSpec("cluster-errors", in: directory, seeds: [1, 2], steps: 20)
        let out = directory.appendingPathComponent("out").path
        let slurmFolder = out + "/slurm"

        // No sbatch on PATH.
        let noSbatch = try deeprank(["submit", spec, "--out", out], environment: ["PATH": "/nonexistent"])
        XCTAssertEqual(noSbatch.status, 1, noSbatch.output)
        XCTAssertTrue(noSbatch.output.contains("sbatch: not found on PATH"), noSbatch.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: slurmFolder))

        // Rejected by SLURM: a partition it does not have, a time it cannot read.
        for (option, value, message) in [("--partition", "no-such-partition", "invalid partition"),
                                         ("--time", "ten minutes", "Invalid --time")] {
            let rejected = try deeprank(["submit", spec, "--out", out, option, value])
            XCTAssertEqual(rejected.status, 1, rejected.output)
            XCTAssertTrue(rejected.output.contains("sbatch rejected the submission") && rejected.output.contains(message),
                          rejected.output)
            XCTAssertFalse(FileManager.default.fileExists(atPath: slurmFolder), rejected.output)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), rejected.output)
        }

        // A unit index out of range.
        let outOfRange = try deeprank(["run", spec, "--out", out, "--unit", "4"])
        XCTAssertEqual(outOfRange.status, 1, outOfRange.output)
        XCTAssertTrue(outOfRange.output.contains("unit 4 does not exist: the plan has 4 units, 0 to 3"), outOfRange.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))

        // A folder that holds another spec's runs.
        let other = directory.appendingPathComponent("other.yaml").path
        try Self.tinySpec(experiment: "cluster-other", seeds: [1], methods: ["- {name: lbp, type: handcrafted, feature: lbp}"])
            .write(toFile: other, atomically: true, encoding: .utf8)
        let otherRun = try deeprank(["run", other, "--out", out])
        XCTAssertEqual(otherRun.status, 0, otherRun.output)
        let foreign = try deeprank(["submit", spec, "--out", out])
        XCTAssertEqual(foreign.status, 1, foreign.output)
        XCTAssertTrue(foreign.output.contains("holds the output of another spec") && foreign.output.contains("cluster-other"),
                      foreign.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: slurmFolder))

        // Status of a folder no submission made.
        let noRecord = try deeprank(["status", out])
        XCTAssertEqual(noRecord.status, 1, noRecord.output)
        XCTAssertTrue(noRecord.output.contains("no submission record"), noRecord.output)
    }

    /// Runs a command to the end; its output and errors together (through a file). Spawned
    /// and waited for with posix_spawn and waitpid: the cluster script leaves daemons behind,
    /// and Foundation's `Process` was seen to miss the exit of a child that did so.
    static func shell(_ arguments: [String]) -> (status: Int32, output: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("cluster-\(UUID().uuidString).log").path
        defer { unlink(log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else { return (-1, "\(arguments[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : -1, output)
    }
}
