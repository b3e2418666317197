import Experiments
import Foundation
import Imaging
import Reporting
import RunFile
import XCTest

/// Retrieval grids from a tiny real run: the data set is re-opened from the stored spec,
/// the PNG decodes with our own decoder, has the layout `RetrievalGrid` describes and
/// green/red frames; when the data set cannot be opened the report still comes out, with
/// a clear line instead of the grid.
final class GridTests: XCTestCase {
    func testGridOfARealRunDecodesAndShowsFrames() throws {
        let directory = try makeTemporaryDirectory(self)
        let path = try tinyRealRun(in: directory)
        let report = try Report.make(Report.Options(inputs: [directory + "/run"], datasets: RunDataset.open))
        XCTAssertEqual(report.warnings, [])
        let file = try XCTUnwrap(report.files.first { $0.path == "grids/tiny-report-seed-5.png" })
        let image = try ImageCodec.decode(data: file.bytes, name: file.path)
        // 3 queries x 2 rows, cells of 48 with 2 px between strips and 14 between queries;
        // the widest label is "deep-ranking" (12 characters of 12 px, + 8).
        let grid = RetrievalGrid()
        XCTAssertEqual(image.height, 2 * 8 + 6 * (grid.cell + 2) + 2 * 14)
        XCTAssertEqual(image.width, 2 * 8 + (12 * 12 + 8) + grid.cell + 3 * 3 + 5 * (grid.cell + 3))
        XCTAssertEqual(image.channels, 3)
        // The first query's frame (dark) and the first neighbour's frame (green or red).
        let left = 8 + 12 * 12 + 8
        XCTAssertEqual([image[x: left, y: 8, channel: 0], image[x: left, y: 8, channel: 1]], [40, 40])
        let neighbour = (r: image[x: left + grid.cell + 9, y: 8, channel: 0], g: image[x: left + grid.cell + 9, y: 8, channel: 1])
        XCTAssertTrue((neighbour.r, neighbour.g) == (30, 160) || (neighbour.r, neighbour.g) == (215, 40), "\(neighbour)")
        let markdown = String(decoding: report.files.first { $0.path == "report.md" }!.bytes, as: UTF8.self)
        XCTAssertTrue(markdown.contains("![Retrieval grid, seed 5: per grid query, one strip per row (hog, deep-ranking)"))
        let html = String(decoding: report.files.first { $0.path == "report.html" }!.bytes, as: UTF8.self)
        XCTAssertTrue(html.contains("src=\"data:image/png;base64,"))
        _ = path
    }

    func testMovedDataSetSkipsTheGridWithAWarning() throws {
        let directory = try makeTemporaryDirectory(self)
        let path = try tinyRealRun(in: directory)
        // The same run, but its spec now points at image folders that do not exist.
        var record = try RunFileReader(path: path).record()
        record.specText = record.specText.replacingOccurrences(
            of: "{kind: synthetic, categories: 3, images_per_category: 12, image_size: 32}",
            with: "{kind: image-folder, root: /nonexistent/images}")
        try RunFileWriter.write(record, to: path)
        let report = try Report.make(Report.Options(inputs: [path], datasets: RunDataset.open))
        XCTAssertNil(report.files.first { $0.path.hasPrefix("grids/") })
        XCTAssertEqual(report.warnings.count, 1)
        XCTAssertTrue(report.warnings[0].hasPrefix("seed-5.h5: retrieval grid not drawn: "), report.warnings[0])
        XCTAssertTrue(report.warnings[0].contains("/nonexistent/images"), report.warnings[0])
        let markdown = String(decoding: report.files.first { $0.path == "report.md" }!.bytes, as: UTF8.self)
        XCTAssertTrue(markdown.contains("Retrieval grid, seed 5: not drawn: "), markdown)
        XCTAssertTrue(markdown.contains("| **"), "the table is still there")
    }

    func testSyntheticDataSetOfAnotherSizeIsRefusedByDigest() throws {
        let directory = try makeTemporaryDirectory(self)
        let path = try tinyRealRun(in: directory)
        var record = try RunFileReader(path: path).record()
        record.specText = record.specText.replacingOccurrences(of: "images_per_category: 12", with: "images_per_category: 13")
        try RunFileWriter.write(record, to: path)
        let report = try Report.make(Report.Options(inputs: [path], datasets: RunDataset.open))
        XCTAssertEqual(report.warnings.count, 1)
        XCTAssertTrue(report.warnings[0].contains("/dataset: the data set opened from the stored spec has digest"), report.warnings[0])
    }
}
