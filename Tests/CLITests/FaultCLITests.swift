import Foundation
import XCTest

/// Faults on the write paths, for real: a small tmpfs (mounted as root) that fills up, the
/// same file system remounted read-only, and an output folder removed while a run writes
/// to it. Every case must end with a clear message naming the file and the problem, exit
/// status 1 (never a signal), no temporary file left, and the last good file intact.
final class FaultCLITests: CLITestCase {
    /// A tmpfs of `kilobytes` mounted on a new folder, unmounted when the test ends.
    func smallFileSystem(kilobytes: Int) throws -> String {
        let folder = try makeTemporaryDirectory("FaultFS").path
        let mount = ClusterCLITests.shell(["/bin/mount", "-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", folder])
        guard mount.status == 0 else {
            throw NSError(domain: "a missing prerequisite fails the test (it is never skipped)", code: 1, userInfo: [NSLocalizedDescriptionKey: "mounting a tmpfs needs root (CI runs as root): \\(mount.output)"])
        }
        addTeardownBlock { _ = ClusterCLITests.shell(["/bin/umount", "-l", folder]) }
        return folder
    }

    func remount(_ folder: String, _ options: String) {
        let result = ClusterCLITests.shell(["/bin/mount", "-o", "remount,\(options)", folder])
        XCTAssertEqual(result.status, 0, result.output)
    }

    /// Files under `folder` (recursive), with their sizes: what a failed write must not change.
    func listing(_ folder: String) -> [String: Int] {
        var files: [String: Int] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let name = enumerator?.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder + "/" + name)
            files[name] = (attributes?[.size] as? Int) ?? -1
        }
        return files
    }

    /// HOG, then OASIS on it: the first checkpoint (after HOG) is small, OASIS's weights are not.
    func writeSpec(in directory: URL) throws -> String {
        let spec = directory.appendingPathComponent("fault.yaml").path
        try Self.tinySpec(experiment: "fault", seeds: [1], methods: [
            "- {name: hog, type: handcrafted, feature: hog}",
            "- {name: oasis, type: oasis, base: hog, steps: 200}",
            "- {name: deep-ranking, type: deep-ranking, network: {preset: tiny, input_size: 32}, steps: 30, batch_size: 4}",
        ]).write(toFile: spec, atomically: true, encoding: .utf8)
        return spec
    }

    func testADiskThatFillsUpEndsTheRunWithAClearErrorAndTheCheckpointResumesOnceThereIsRoom() throws {
        let directory = try makeTemporaryDirectory("FaultRun")
        let spec = try writeSpec(in: directory)
        let disk = try smallFileSystem(kilobytes: 300)
        let out = disk + "/out"
        let full = try deeprank(["run", spec, "--out", out, "--checkpoint-every", "5"])
        XCTAssertEqual(full.status, 1, full.output)  // an exit status, not a signal
        XCTAssertTrue(full.output.contains("\(out)/seed-1.h5: cannot write the run file: ") &&
                      full.output.contains("No space left on device") && full.output.contains("Nothing was written"),
                      full.output)
        XCTAssertFalse(full.output.contains("Signal") || full.output.contains("crashed"), full.output)
        XCTAssertEqual(Set(listing(out).keys), ["seed-1.h5"], "no temporary or lock file is left")
        let checkpoint = try deeprank(["compare", out + "/seed-1.h5", out + "/seed-1.h5"])
        XCTAssertEqual(checkpoint.status, 0, "the last checkpoint is a readable run file: \(checkpoint.output)")

        // Room again: the same command resumes from the checkpoint and ends with the bits of an
        // uninterrupted run.
        remount(disk, "size=20m")
        let resumed = try deeprank(["run", spec, "--out", out, "--checkpoint-every", "5"])
        XCTAssertEqual(resumed.status, 0, resumed.output)
        XCTAssertTrue(resumed.output.contains("resuming from the checkpoint"), resumed.output)
        let reference = directory.appendingPathComponent("reference").path
        XCTAssertEqual(try deeprank(["run", spec, "--out", reference]).status, 0)
        let compared = try deeprank(["compare", out + "/seed-1.h5", reference + "/seed-1.h5"])
        XCTAssertFalse(compared.output.contains("differs"), compared.output)
    }

    func testEmbedAndReportOnAFullDiskFailCleanlyAndLeaveTheFolderAsItWas() throws {
        let directory = try makeTemporaryDirectory("FaultOutputs")
        let spec = try writeSpec(in: directory)
        let runs = directory.appendingPathComponent("runs").path
        XCTAssertEqual(try deeprank(["run", spec, "--out", runs]).status, 0)
        let images = directory.appendingPathComponent("images").path
        try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: true)
        let picture = Self.repositoryRoot.appendingPathComponent("Results/quickstart/grids/quickstart-seed-1.png").path
        for name in ["a.png", "b.png", "c.png"] { try FileManager.default.copyItem(atPath: picture, toPath: images + "/" + name) }

        let disk = try smallFileSystem(kilobytes: 64)
        // A report already there, then the disk filled (tmpfs counts whole 4 KiB pages).
        try "previous report\n".write(toFile: disk + "/report.md", atomically: false, encoding: .utf8)
        XCTAssertTrue(FileManager.default.createFile(atPath: disk + "/filler", contents: Data(count: 60 * 1024)))

        let embedded = try deeprank(["embed", runs + "/seed-1.h5", "--method", "hog", images, "--out", disk + "/e.h5"])
        XCTAssertEqual(embedded.status, 1, embedded.output)
        XCTAssertTrue(embedded.output.contains("\(disk)/e.h5: cannot write") && embedded.output.contains("No space left on device"),
                      embedded.output)
        XCTAssertEqual(Set(listing(disk).keys), ["filler", "report.md"], embedded.output)

        // A report into the full folder: all or nothing, and here nothing.
        let before = listing(disk)
        let report = try deeprank(["report", runs, "--out", disk, "--no-grids"])
        XCTAssertEqual(report.status, 1, report.output)
        XCTAssertTrue(report.output.contains("No space left on device"), report.output)
        XCTAssertEqual(listing(disk), before, report.output)
        XCTAssertEqual(try String(contentsOfFile: disk + "/report.md", encoding: .utf8), "previous report\n")
    }

    func testAReadOnlyFolderAndAFolderRemovedMidRunEndWithAClearError() throws {
        let directory = try makeTemporaryDirectory("FaultFolders")
        let spec = try writeSpec(in: directory)
        let disk = try smallFileSystem(kilobytes: 4096)
        try FileManager.default.createDirectory(atPath: disk + "/out", withIntermediateDirectories: true)
        remount(disk, "ro")
        let readOnly = try deeprank(["run", spec, "--out", disk + "/out"])
        XCTAssertEqual(readOnly.status, 1, readOnly.output)
        XCTAssertTrue(readOnly.output.contains("Read-only file system"), readOnly.output)
        let report = try deeprank(["report", Self.repositoryRoot.appendingPathComponent("Results/quickstart").path,
                                   "--out", disk + "/out", "--no-grids"])
        XCTAssertEqual(report.status, 1, report.output)
        XCTAssertTrue(report.output.contains("Read-only file system"), report.output)
        remount(disk, "rw")

        // The output folder removed while the run checkpoints into it.
        let out = directory.appendingPathComponent("removed").path
        let log = directory.path + "/removed.log"
        let longer = spec.replacingOccurrences(of: "fault.yaml", with: "fault-long.yaml")
        try (try String(contentsOfFile: spec, encoding: .utf8)).replacingOccurrences(of: "steps: 30,", with: "steps: 3000,")
            .write(toFile: longer, atomically: true, encoding: .utf8)
        let run = try start(["run", longer, "--out", out, "--checkpoint-every", "5"], output: log)
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, run.isRunning,
              !((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("deep-ranking: step") {
            usleep(20_000)
        }
        // Renamed away in one step, then deleted once the run has ended: deleting it in place races with the
        // checkpoint files the run keeps creating in it, and can fail with "Directory not empty".
        XCTAssertEqual(rename(out, out + ".gone"), 0, String(cString: strerror(errno)))
        run.waitUntilExit()
        try FileManager.default.removeItem(atPath: out + ".gone")
        let output = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertEqual(run.terminationReason, .exit, output)
        XCTAssertEqual(run.terminationStatus, 1, output)
        XCTAssertTrue(output.contains("\(out)/seed-1.h5: cannot write the run file: ") && output.contains("No such file or directory"),
                      output)
    }
}
