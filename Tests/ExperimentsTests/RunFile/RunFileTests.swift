import Experiments
import Foundation
import RunFile
import Storage
import TensorKit
import XCTest

/// `SpecRunner` and the run files end to end, on a tiny synthetic spec: what is written
/// reads back unchanged, digests do not depend on the thread count, outputs are never
/// overwritten by accident nor written by two runs, and no temporary file is left.
final class RunFileTests: XCTestCase {
    override func tearDown() { Parallel.configure(threads: 1) }

    func makeDirectory() throws -> (directory: String, spec: ExperimentSpec) { try makeTinyRunDirectory(self) }

    func runner(_ spec: ExperimentSpec, out: String, overwrite: Bool = false) -> SpecRunner {
        tinyRunner(spec, out: out, overwrite: overwrite)
    }

    func testRunFileReadsBackWhatTheRunProduced() throws {
        let (directory, spec) = try makeDirectory()
        let outcome = try XCTUnwrap(try runner(spec, out: directory + "/out").run().first)
        XCTAssertEqual(outcome.path, directory + "/out/seed-5.h5")
        let reader = try RunFileReader(path: outcome.path)
        XCTAssertEqual(reader.status, .complete)
        XCTAssertEqual(reader.experiment, "tiny-run")
        XCTAssertEqual(reader.seed, 5)
        XCTAssertEqual(try reader.specText(), tinySpecText)
        XCTAssertEqual(try reader.digests(), outcome.digests)

        let rows = try reader.rows()
        XCTAssertEqual(rows.map(\.row), outcome.result.rows.map(\.row))
        XCTAssertEqual(rows.map(\.row), ["hog", "oasis-hog", "deep-ranking"])
        XCTAssertEqual(rows.map(\.similarityPrecision), outcome.result.rows.map(\.similarityPrecision))
        XCTAssertEqual(rows.map(\.outcomes), outcome.result.rows.map(\.outcomes))
        XCTAssertEqual(rows.map(\.trainingSeconds), outcome.result.rows.map(\.trainingSeconds))

        // Everything read back equals the record, and its digests recompute to the stored ones.
        let record = try reader.record()
        XCTAssertEqual(record.digests, outcome.digests)
        XCTAssertEqual(record.methods.map(\.name), ["hog", "oasis-hog", "deep-ranking"])
        XCTAssertEqual(record.methods.map(\.type), ["handcrafted", "oasis", "deep-ranking"])
        let deep = try XCTUnwrap(record.methods.last)
        XCTAssertEqual(deep.weights.sorted { $0.name < $1.name },
                       outcome.result.learned["deep-ranking"]?.sorted { $0.name < $1.name })
        XCTAssertEqual(deep.history, outcome.result.histories["deep-ranking"])
        XCTAssertEqual(deep.history["loss"]?.count, 3)
        XCTAssertEqual(record.evaluation.triplets, outcome.result.evaluationTriplets.triplets)
        XCTAssertEqual(record.evaluation.digest, outcome.result.evaluationTriplets.digest)
        XCTAssertEqual(record.dataset.count, 36)
        XCTAssertEqual(record.dataset.train, outcome.result.split.train)
        XCTAssertEqual(record.dataset.test, outcome.result.split.test)
        XCTAssertEqual(record.provenance.deeprankVersion, "0.1.0")
        XCTAssertEqual(record.provenance.threads, Parallel.threads)
        XCTAssertEqual(record.provenance.commandLine, "deeprank run tiny.yaml")
        XCTAssert(record.provenance.swiftVersion.hasPrefix("compiler 6."), record.provenance.swiftVersion)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory + "/out"), ["seed-5.h5"],
                       "no lock or temporary file is left")
    }

    func testDigestsAreTheSameWithOneAndTwoThreads() throws {
        let (directory, spec) = try makeDirectory()
        Parallel.configure(threads: 1)
        let one = try runner(spec, out: directory + "/one").run()[0]
        Parallel.configure(threads: 2)
        let two = try runner(spec, out: directory + "/two").run()[0]
        XCTAssertEqual(one.digests, two.digests)
        XCTAssertEqual(try RunFileReader(path: two.path).provenance().threads, 2)
        XCTAssertEqual(try RunFileReader(path: one.path).dataset().digest, try RunFileReader(path: two.path).dataset().digest)
        XCTAssertEqual(one.digests.methodWeights.keys.sorted(), ["deep-ranking", "hog", "oasis-hog"])
    }

    func testRefusesToOverwriteUnlessAsked() throws {
        let (directory, spec) = try makeDirectory()
        let out = directory + "/out"
        let path = try runner(spec, out: out).run()[0].path
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try runner(spec, out: out).run()) { error in
            XCTAssertEqual(error as? RunFileError, .outputExists(file: path))
            XCTAssert("\(error)".contains("--overwrite"))
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "the refused run changed nothing")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out), ["seed-5.h5"])
        let again = try runner(spec, out: out, overwrite: true).run()[0]
        XCTAssertEqual(try RunFileReader(path: again.path).digests().weights,
                       try RunFileReader(path: path).digests().weights)
    }

    func testALiveLockRefusesAndAStaleLockIsTakenOver() throws {
        let (directory, spec) = try makeDirectory()
        let out = directory + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let lock = out + "/seed-5.h5.lock"
        let host = ProcessInfo.processInfo.hostName
        // Held by a live run (a lock this process holds): refused, nothing written, the lock stays.
        let held = try RunLock.acquire(for: out + "/seed-5.h5")
        XCTAssertTrue(RunLock.isHeldOnThisHost(out + "/seed-5.h5"))
        XCTAssertThrowsError(try runner(spec, out: out).run()) { error in
            XCTAssertEqual(error as? RunFileError,
                           .locked(file: out + "/seed-5.h5", lock: lock, holder: "\(getpid()) \(host)"))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out), ["seed-5.h5.lock"])
        held.release()
        XCTAssertFalse(RunLock.isHeldOnThisHost(out + "/seed-5.h5"))
        // Left by a process that has exited, with a temporary file it left: taken over, cleaned.
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        try "\(finished.processIdentifier) \(host)\n".write(toFile: lock, atomically: false, encoding: .utf8)
        try "half".write(toFile: out + "/seed-5.h5.tmp-\(finished.processIdentifier)", atomically: false, encoding: .utf8)
        _ = try runner(spec, out: out).run()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out), ["seed-5.h5"])
    }

    /// A stale lock whose pid now belongs to a live, unrelated process (pid reuse) is still
    /// stale: only the kernel's lock says who holds it. One naming another host is not taken
    /// over unless the caller knows that holder is gone.
    func testAReusedPidIsNotMistakenForTheHolder() throws {
        let (directory, _) = try makeDirectory()
        let output = directory + "/seed-1.h5"
        let host = ProcessInfo.processInfo.hostName
        try "\(getpid()) \(host)\n".write(toFile: output + ".lock", atomically: false, encoding: .utf8)
        XCTAssertFalse(RunLock.isHeldOnThisHost(output))
        let lock = try RunLock.acquire(for: output)
        XCTAssertTrue(RunLock.isHeldOnThisHost(output))
        lock.release()

        try "1 another-host slurm 17_2\n".write(toFile: output + ".lock", atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try RunLock.acquire(for: output)) { error in
            XCTAssertEqual(error as? RunFileError,
                           .locked(file: output, lock: output + ".lock", holder: "1 another-host slurm 17_2"))
        }
        let taken = try RunLock.acquire(for: output, isGone: { $0.slurmTask == "17_2" })
        XCTAssertEqual(RunLock.holder(of: output), RunLock.Holder(pid: getpid(), host: host, slurmTask: nil))
        taken.release()
    }

    func testTwoLocksForOneFileExcludeEachOther() throws {
        let (directory, _) = try makeDirectory()
        let output = directory + "/seed-1.h5"
        let first = try RunLock.acquire(for: output)
        XCTAssertThrowsError(try RunLock.acquire(for: output)) { error in
            guard case .locked? = error as? RunFileError else { return XCTFail("\(error)") }
        }
        first.release()
        XCTAssertNoThrow(try RunLock.acquire(for: output).release())
        XCTAssertFalse(FileManager.default.fileExists(atPath: output + ".lock"))
    }

    func testReaderNamesTheFileForForeignAndMissingParts() throws {
        let (directory, _) = try makeDirectory()
        let foreign = directory + "/foreign.h5"
        try HDF5File.writeAtomically(to: foreign) { try $0.setAttribute("format", to: "something-else") }
        XCTAssertThrowsError(try RunFileReader(path: foreign)) { error in
            XCTAssertEqual(error as? RunFileError, .notARunFile(file: foreign, found: "something-else"))
        }
        let future = directory + "/future.h5"
        try HDF5File.writeAtomically(to: future) { root in
            try root.setAttribute("format", to: RunFileFormat.name)
            try root.setAttribute("format_version", to: Int64(99))
        }
        XCTAssertThrowsError(try RunFileReader(path: future)) { error in
            XCTAssertEqual(error as? RunFileError, .unsupportedVersion(file: future, version: 99, supported: RunFileFormat.version))
        }
        let partial = directory + "/partial.h5"
        try HDF5File.writeAtomically(to: partial) { root in
            try root.setAttribute("format", to: RunFileFormat.name)
            try root.setAttribute("format_version", to: RunFileFormat.version)
            try root.setAttribute("status", to: "complete")
            try root.setAttribute("experiment", to: "x")
            try root.setAttribute("seed", to: UInt64(1))
            try root.setAttribute("created", to: "2024-01-01T00:00:00Z")
            try root.setAttribute("finished", to: "2024-01-01T00:00:00Z")
        }
        let reader = try RunFileReader(path: partial)
        XCTAssertThrowsError(try reader.specText()) { error in
            XCTAssertEqual(error as? RunFileError, .missing(file: partial, path: "/spec"))
            XCTAssert("\(error)".hasPrefix(partial + ": /spec: missing"), "\(error)")
        }
        XCTAssertThrowsError(try reader.digests()) { XCTAssertEqual($0 as? RunFileError, .missing(file: partial, path: "/digests")) }
        // Every part names its place in the file (the names come from `RunFileKey`).
        let parts: [(read: () throws -> Void, path: String)] = [
            ({ _ = try reader.specPath() }, "/spec"), ({ _ = try reader.sweepPoint() }, "/spec"),
            ({ _ = try reader.provenance() }, "/provenance"), ({ _ = try reader.dataset() }, "/dataset"),
            ({ _ = try reader.evaluation() }, "/evaluation"), ({ _ = try reader.methodNames() }, "/methods"),
        ]
        for part in parts {
            XCTAssertThrowsError(try part.read()) { XCTAssertEqual($0 as? RunFileError, .missing(file: partial, path: part.path)) }
        }
        try HDF5File.writeAtomically(to: partial) { root in
            for name in ["format", "status", "experiment", "created", "finished"] {
                try root.setAttribute(name, to: name == "format" ? RunFileFormat.name : name == "status" ? "complete" : "x")
            }
            try root.setAttribute("format_version", to: RunFileFormat.version)
            try root.setAttribute("seed", to: UInt64(1))
            try root.write(string: "experiment: x", to: "spec")
            try root.createGroup("dataset").setAttribute("kind", to: "synthetic")
        }
        let attributes = try RunFileReader(path: partial)
        XCTAssertEqual(try attributes.specText(), "experiment: x")
        XCTAssertThrowsError(try attributes.specPath()) {
            XCTAssertEqual($0 as? RunFileError, .missing(file: partial, path: "/spec attribute path"))
        }
        XCTAssertThrowsError(try attributes.dataset()) {
            XCTAssertEqual($0 as? RunFileError, .missing(file: partial, path: "/dataset/category_names"))
        }
    }

    /// A sweep writes one named run per value (`steps=10`, `steps=20`), each replayable.
    func testASweepRunsEveryVariantAsANamedRun() throws {
        let (directory, _) = try makeDirectory()
        let path = directory + "/sweep.yaml"
        try (tinySpecText + "sweep: {key: methods.oasis-hog.steps, values: [10, 20]}\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let spec = try SpecParser.load(path: path)
        let outcomes = try runner(spec, out: directory + "/out").run()
        XCTAssertEqual(outcomes.map(\.path), [directory + "/out/steps=10/seed-5.h5", directory + "/out/steps=20/seed-5.h5"])
        XCTAssertNotEqual(outcomes[0].digests.weights, outcomes[1].digests.weights, "the swept value changes the run")
        let stored = try RunFileReader(path: outcomes[1].path).record()
        XCTAssertEqual(stored.sweepPoint, SweepPoint(key: "methods.oasis-hog.steps", label: "20"))
        XCTAssertTrue(try Replay.run(path: outcomes[1].path).identical)
        XCTAssertThrowsError(try runner(spec, out: directory + "/out").run()) { error in
            XCTAssertEqual(error as? RunFileError, .outputExists(file: outcomes[0].path))
        }
    }
}
