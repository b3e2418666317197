import Foundation
import XCTest

extension CLITests {
    /// `deeprank bench sgemm` on one layer of the reference network: a row per product with
    /// every path this CPU runs beside OpenBLAS, and the step line; with --json the same figures.
    func testBenchSgemmPrintsEveryPathBesideOpenBLAS() throws {
        let arguments = ["bench", "sgemm", "--layer", "shallow2", "--batch-triplets", "4", "--repeats", "1"]
        let table = try deeprank(arguments)
        XCTAssertEqual(table.status, 0, table.output)
        XCTAssertTrue(table.output.contains("portable"), table.output)
        XCTAssertTrue(table.output.contains("OpenBLAS"), table.output)
        XCTAssertTrue(table.output.contains("shallow2.conv forward"), table.output)
        XCTAssertTrue(table.output.contains("sgemm time of one training step"), table.output)
        XCTAssertFalse(table.output.contains("deep.conv1"), table.output)

        let json = try deeprank(arguments + ["--isa", "portable", "--json"])
        XCTAssertEqual(json.status, 0, json.output)
        let line = try XCTUnwrap(json.output.split(separator: "\n").last)
        let figures = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let rows = try XCTUnwrap(figures["rows"] as? [[String: Any]])
        // Forward, and the weight gradient's overwriting and adding products (no input gradient).
        XCTAssertEqual(rows.map { $0["pass"] as? String }, ["forward", "weight gradient", "weight gradient"])
        XCTAssertEqual(rows.map { $0["calls_per_step"] as? Int }, [12, 6, 6])
        XCTAssertGreaterThan((figures["step_ms"] as? [String: Double])?["portable"] ?? 0, 0)
        for row in rows {
            XCTAssertEqual((row["chains_gflops"] as? [String: Double])?.keys.sorted(), ["portable"])
            XCTAssertGreaterThan(row["openblas_gflops"] as? Double ?? 0, 0)
        }
    }

    func testBenchSgemmRefusesALayerTheNetworkLacks() throws {
        let result = try deeprank(["bench", "sgemm", "--layer", "nonesuch", "--repeats", "1"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.output.contains("--layer nonesuch: no layer of reference has that in its name"), result.output)
    }
}
