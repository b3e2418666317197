import DatasetKit
import XCTest

final class RelevanceTableTests: XCTestCase {
    func testMembersPairwiseRelevanceAndTotalsOfASubset() throws {
        let data = LatentDataset.small
        let subset = [12, 0, 4, 2, 1, 5, 8, 3, 7]  // leaves out 6, 9, 10, 11; order does not matter
        let table = try RelevanceTable(dataset: data, subset: subset)
        XCTAssertEqual(table.members, [[0, 2, 4, 12], [1, 5, 8], [3, 7]])
        XCTAssertEqual(table.memberCount, 9)
        XCTAssertEqual(table.categoryCount, 3)
        XCTAssertFalse(table.contains(6))
        XCTAssertEqual(table.relevance(0, 12), data.relevance(0, 12))
        XCTAssertEqual(table.relevance(0, 1), 0, "across categories")
        XCTAssertEqual(table.relevance(0, 6), 0, "outside the subset")
        XCTAssertEqual(table.relevance(4, 4), 0)
        for (c, group) in table.members.enumerated() {
            for (slot, i) in group.enumerated() {
                let expected = group.filter { $0 != i }.reduce(0.0) { $0 + Double(data.relevance(i, $1)) }
                XCTAssertEqual(table.totalRelevance[c][slot], expected, accuracy: 1e-9, "r_\(i)")
                XCTAssertEqual(table.member(of: i)?.category, c)
                XCTAssertEqual(table.member(of: i)?.slot, slot)
            }
        }
        // r_0 over the subset's category 0 (0, 0.05, 0.2, 0.95): 0.95 + 0.8 + 0.05.
        XCTAssertEqual(table.totalRelevance[0][0], 1.8, accuracy: 1e-6)
    }

    func testBadSubsetsAndRelevanceAreTypedErrors() {
        let data = LatentDataset.small
        XCTAssertThrowsError(try RelevanceTable(dataset: data, subset: [0, 13])) { error in
            XCTAssertEqual(error as? SamplingError, .indexOutOfRange(source: "relevance table subset", index: 13, count: 13))
        }
        XCTAssertThrowsError(try RelevanceTable(dataset: data, subset: [0, 2, 0])) { error in
            XCTAssertEqual(error as? SamplingError, .duplicateIndex(source: "relevance table subset", index: 0))
        }
        struct Broken: ImageDataset {
            var kind: String { "broken" }
            var count: Int { 2 }
            var categoryNames: [String] { ["only"] }
            func category(of index: Int) -> Int { 0 }
            func relevance(_ a: Int, _ b: Int) -> Float { -.nan }
            func image(at index: Int) throws -> PlanarImage { PlanarImage(channels: 1, height: 1, width: 1) }
            func identifier(of index: Int) -> String { "broken/\(index).png" }
        }
        XCTAssertThrowsError(try RelevanceTable(dataset: Broken(), subset: [0, 1])) { error in
            XCTAssertTrue("\(error)".contains("broken/0.png"), "\(error)")
        }
    }
}
