import DatasetKit
import TensorKit
import XCTest

/// Concept groups for hard-mining batches: the category, or the components of pairs with
/// r >= t inside it; and the P x K draws from them.
final class ConceptGroupsTests: XCTestCase {
    /// Icon-like data: `icons[i]` is image i's icon; icons 0-2 are category 0, 3-4 category 1;
    /// r = 1 for the same icon, 0.1 for the same category, 0 across.
    struct IconLike: ImageDataset {
        let icons = [0, 3, 1, 0, 4, 2, 3, 1, 0, 4, 2, 4, 5]
        var kind: String { "icon-like" }
        var count: Int { icons.count }
        var categoryNames: [String] { ["apps", "places"] }
        func category(of index: Int) -> Int { icons[index] < 3 || icons[index] == 5 ? 0 : 1 }
        func relevance(_ a: Int, _ b: Int) -> Float {
            guard category(of: a) == category(of: b) else { return 0 }
            return icons[a] == icons[b] ? 1 : 0.1
        }
        func image(at index: Int) throws -> PlanarImage { PlanarImage(channels: 1, height: 1, width: 1, value: 0) }
        func identifier(of index: Int) -> String { "icon\(icons[index])/\(index)" }
    }

    func table() throws -> RelevanceTable {
        let data = IconLike()
        return try RelevanceTable(dataset: data, subset: Array(0..<data.count))
    }

    func testGroupsAreCategoriesOrConceptsWithTwoOrMoreImages() throws {
        XCTAssertEqual(try ConceptGroups(table: try table()).groups,
                       [[0, 2, 3, 5, 7, 8, 10, 12], [1, 4, 6, 9, 11]])
        // Icon 5 has one image: no group.
        XCTAssertEqual(try ConceptGroups(table: try table(), conceptRelevance: 1).groups,
                       [[0, 3, 8], [2, 7], [5, 10], [1, 6], [4, 9, 11]])
        // A threshold below the same-category relevance joins whole categories.
        XCTAssertEqual(try ConceptGroups(table: try table(), conceptRelevance: 0.05).groups.count, 2)
    }

    func testTooFewGroupsAndBadThresholdsAreTypedErrors() throws {
        XCTAssertThrowsError(try ConceptGroups(table: try table(), conceptRelevance: 2)) { error in
            guard case SamplingError.noValidTriplet(let reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("give 0 with concept relevance 2.0"), reason)
        }
        XCTAssertThrowsError(try ConceptGroups(table: try table(), conceptRelevance: 0)) { error in
            guard case SamplingError.invalidParameter(let name, _, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "conceptRelevance")
        }
    }

    func testADrawHasPDistinctGroupsOfKImages() throws {
        let concepts = try ConceptGroups(table: try table(), conceptRelevance: 1)
        var stream = RandomStream(seed: 3, name: "mining/groups")
        var seenGroups = Set<Int>()
        for _ in 0..<200 {
            let (images, labels) = concepts.draw(groups: 3, perGroup: 3, stream: &stream)
            XCTAssertEqual(images.count, 9)
            XCTAssertEqual(labels.count, 9)
            let groups = stride(from: 0, to: 9, by: 3).map { labels[$0] }
            XCTAssertEqual(Set(groups).count, 3, "distinct groups")
            for (k, g) in groups.enumerated() {
                let members = Array(images[(3 * k)..<(3 * k + 3)])
                XCTAssertEqual(labels[(3 * k)..<(3 * k + 3)].allSatisfy { $0 == g }, true)
                XCTAssertTrue(members.allSatisfy(concepts.groups[g].contains))
                // Every image of a group of two is in; a group of three gives three distinct.
                XCTAssertEqual(Set(members), Set(concepts.groups[g]), "group \(g): \(members)")
                seenGroups.insert(g)
            }
        }
        XCTAssertEqual(seenGroups.count, 5)
        var again = RandomStream(seed: 3, name: "mining/groups")
        var first = RandomStream(seed: 3, name: "mining/groups")
        XCTAssertTrue(concepts.draw(groups: 2, perGroup: 4, stream: &again) == concepts.draw(groups: 2, perGroup: 4,
                                                                                                stream: &first))
    }
}
