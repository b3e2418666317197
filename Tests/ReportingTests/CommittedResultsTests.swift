import Experiments
import Foundation
import Reporting
import RunFile
import XCTest

/// Every report committed under `Results/<experiment>/` is exactly what
/// `deeprank report Results/<experiment>` makes from the committed run files (built in
/// memory and compared byte for byte, nothing written).
final class CommittedResultsTests: XCTestCase {
    /// The repository root (this file is `Tests/ReportingTests/CommittedResultsTests.swift`).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testEveryCommittedReportRegeneratesByteForByte() throws {
        let results = Self.root.appendingPathComponent("Results").path
        let experiments = try FileManager.default.contentsOfDirectory(atPath: results).sorted().filter {
            FileManager.default.fileExists(atPath: "\(results)/\($0)/report.md")
        }
        XCTAssertFalse(experiments.isEmpty, "no committed reports under \(results)")
        for experiment in experiments {
            let directory = "\(results)/\(experiment)"
            // A folder committed without grids (`report --no-grids`: the paper-sized one, whose
            // 225-pixel data set takes minutes to re-open in a debug build) is made without them.
            let grids = FileManager.default.fileExists(atPath: "\(directory)/grids")
            let report = try Report.make(Report.Options(inputs: [directory], datasets: grids ? RunDataset.open : nil))
            if let missing = report.warnings.first(where: { $0.contains("not drawn") || $0.contains("grid") }) {
                // Grids re-open the data set (the icon themes must be installed, as CI does).
                XCTFail("\(experiment): \(missing)")
                continue
            }
            XCTAssertFalse(report.files.isEmpty)
            // No stale output either: every committed figure and grid is one the report makes.
            let made = Set(report.files.map(\.path))
            for folder in ["figures", "grids"] {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: "\(directory)/\(folder)")) ?? [] {
                    XCTAssertTrue(made.contains("\(folder)/\(name)"), "\(experiment): \(folder)/\(name) is stale")
                }
            }
            for file in report.files {
                let committed = FileManager.default.contents(atPath: "\(directory)/\(file.path)")
                XCTAssertNotNil(committed, "\(experiment): \(file.path) is not committed")
                XCTAssertTrue(committed.map { [UInt8]($0) == file.bytes } ?? false,
                              "\(experiment): \(file.path) differs from what the run files give")
            }
        }
    }
}
