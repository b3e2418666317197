import Foundation
import XCTest

extension CLITests {
    /// `deeprank bench knn --json` on a small problem: one JSON object with the keys the
    /// faiss script prints too.
    func testBenchKNNPrintsItsFiguresAsJSON() throws {
        let result = try deeprank(["bench", "knn", "--database", "3000", "--dimension", "16", "--queries", "200",
                                   "--k", "5", "--repeats", "2", "--threads", "2", "--json"])
        XCTAssertEqual(result.status, 0, result.output)
        let line = try XCTUnwrap(result.output.split(separator: "\n").last)
        let figures = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(figures["database"] as? Int, 3000)
        XCTAssertEqual(figures["dimension"] as? Int, 16)
        XCTAssertEqual(figures["queries"] as? Int, 200)
        XCTAssertEqual(figures["k"] as? Int, 5)
        XCTAssertEqual(figures["threads"] as? Int, 2)
        XCTAssertEqual((figures["search_ms"] as? [Double])?.count, 2)
        XCTAssertGreaterThan(try XCTUnwrap(figures["queries_per_s"] as? Double), 0)
    }

    func testBenchKNNRefusesKLargerThanTheDatabase() throws {
        let result = try deeprank(["bench", "knn", "--database", "10", "--k", "11"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.output.contains("--k (11) must not exceed --database (10)"), result.output)
    }
}
