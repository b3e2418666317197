import Experiments
import Foundation
import Reporting
import RunFile
import Storage
import XCTest

/// Bad inputs give an error naming the file, never a crash: a missing file, a text file, an
/// HDF5 file that is not a run file, a truncated run file, an empty folder. In a folder, a
/// foreign HDF5 file is skipped with a warning.
final class BadInputTests: XCTestCase {
    func report(_ inputs: [String]) throws -> Report { try Report.make(Report.Options(inputs: inputs, datasets: RunDataset.open)) }

    func testMissingFile() throws {
        let directory = try makeTemporaryDirectory(self)
        assertThrows(try report([directory + "/nope.h5"]), containing: [directory + "/nope.h5", "no such file or directory"])
        assertThrows(try ReportRun.load(path: directory + "/nope.h5"), containing: [directory + "/nope.h5"])
    }

    func testTextFileNamedAsARun() throws {
        let directory = try makeTemporaryDirectory(self)
        let path = directory + "/notes.h5"
        try "not HDF5".write(toFile: path, atomically: true, encoding: .utf8)
        assertThrows(try report([path]), containing: [path, "not an HDF5 file"])
    }

    func testHDF5FileThatIsNotARun() throws {
        let directory = try makeTemporaryDirectory(self)
        let path = directory + "/features.h5"
        try HDF5File.writeAtomically(to: path) { root in try root.write([Float(1), 2, 3], to: "x") }
        assertThrows(try report([path]), containing: [path, "not a run file"])
        // Found in a folder next to real runs, it is skipped with a warning.
        try writeMadeUpResults(into: directory)
        let fromFolder = try report([directory])
        XCTAssertEqual(fromFolder.warnings, ["features.h5: skipped, not a run file"])
        XCTAssertEqual(fromFolder.summaries.count, 3)
    }

    func testTruncatedRunFile() throws {
        let directory = try makeTemporaryDirectory(self)
        try writeMadeUpResults(into: directory)
        let path = directory + "/demo/seed-1.h5"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for length in [bytes.count / 2, 600, 8] {
            try bytes.prefix(length).write(to: URL(fileURLWithPath: path))
            assertThrows(try report([directory]), containing: [path])
            assertThrows(try RunComparison(try ReportRun.load(path: path), try ReportRun.load(path: path)), containing: [path])
        }
    }

    func testRunFileWithoutAPart() throws {
        let directory = try makeTemporaryDirectory(self)
        let path = directory + "/seed-1.h5"
        try HDF5File.writeAtomically(to: path) { root in
            try root.setAttribute("format", to: RunFileFormat.name)
            try root.setAttribute("format_version", to: RunFileFormat.version)
        }
        assertThrows(try report([path]), containing: [path, "status", "missing"])
    }

    func testOutcomesOutsideTheirValuesAreAnError() throws {
        let directory = try makeTemporaryDirectory(self)
        var bad = madeUpRow("b", correct: 10)
        bad.outcomes[3] = 0.7
        let record = madeUpRecord(experiment: "odd", seed: 1, rows: [madeUpRow("a", correct: 20), bad])
        try RunFileWriter.write(record, to: directory + "/seed-1.h5")
        assertThrows(try report([directory]), containing: [directory + "/seed-1.h5", "/methods/b/rows/b/outcomes", "0.7"])
    }

    /// A checkpoint of a run still going on (status `running`) is left out with a warning.
    func testUnfinishedRunsAreLeftOut() throws {
        let directory = try makeTemporaryDirectory(self)
        try RunFileWriter.write(madeUpRecord(experiment: "partial", seed: 1, rows: [madeUpRow("a", correct: 20)]),
                                to: directory + "/seed-1.h5")
        var running = madeUpRecord(experiment: "partial", seed: 2, rows: [madeUpRow("a", correct: 30)])
        running.status = .running
        try RunFileWriter.write(running, to: directory + "/seed-2.h5")
        let made = try Report.make(Report.Options(inputs: [directory]))
        XCTAssertEqual(made.summaries.first?.rows.first?.seeds, [1])
        XCTAssertTrue(made.warnings.contains { $0.contains("seed-2.h5: skipped, an unfinished run") }, "\(made.warnings)")
    }

    func testEmptyFolderAndDuplicateSeeds() throws {
        let directory = try makeTemporaryDirectory(self)
        assertThrows(try report([directory]), containing: [directory, "no run files"])
        let record = madeUpRecord(experiment: "twice", seed: 1, rows: [madeUpRow("a", correct: 20)])
        try FileManager.default.createDirectory(atPath: directory + "/b", withIntermediateDirectories: true)
        try RunFileWriter.write(record, to: directory + "/seed-1.h5")
        try RunFileWriter.write(record, to: directory + "/b/seed-1.h5")
        // Temporary and lock files are not run files.
        try "".write(toFile: directory + "/seed-2.h5.tmp-99", atomically: true, encoding: .utf8)
        try "".write(toFile: directory + "/seed-2.h5.lock", atomically: true, encoding: .utf8)
        assertThrows(try report([directory]), containing: [directory + "/b/seed-1.h5", directory + "/seed-1.h5",
                                                           "more than one run file for experiment twice, seed 1"])
    }
}
