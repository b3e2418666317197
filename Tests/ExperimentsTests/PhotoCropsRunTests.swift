import DatasetKit
import Experiments
import Foundation
import RunFile
import XCTest

/// A tiny photo-crops spec end to end on the installed wallpapers (mate-backgrounds and
/// lomiri-wallpapers-16.04): the run trains and scores, its run file re-opens the same
/// data set, and the crops do not depend on the run seed.
final class PhotoCropsRunTests: XCTestCase {
    static let specText = """
        experiment: tiny-photos
        seeds: [1, 2]
        dataset:
          kind: photo-crops
          photographs: [mate-backgrounds/nature/GreenMeadow.jpg, mate-backgrounds/nature/FreshFlower.jpg,
                        lomiri-wallpapers-16.04/Picture_1A_by_freespace.jpg]
          crops_per_photograph: 8
          size: 16
        split: {test_fraction: 0.5}
        input: {size: 16, max_shift: 1}
        evaluation: {triplets: 12, relevance_gap: 0.1}
        methods:
          - {name: colour, type: handcrafted, feature: color-histogram}
          - {name: deep-ranking, type: deep-ranking, network: tiny, steps: 2, batch_size: 4}

        """

    func testTinySpecRunsAndReopensItsData() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("PhotoCropsRunTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        try Self.specText.write(toFile: url.path + "/photos.yaml", atomically: true, encoding: .utf8)
        let spec = try SpecParser.load(path: url.path + "/photos.yaml")
        let outcomes = try SpecRunner(spec: spec, outputDirectory: url.path + "/out", overwrite: false,
                                      commandLine: "deeprank run photos.yaml", log: { _ in }).run()
        XCTAssertEqual(outcomes.count, 2)
        for outcome in outcomes {
            XCTAssertEqual(outcome.result.rows.map(\.row), ["colour", "deep-ranking"])
            XCTAssertEqual(outcome.result.evaluationTriplets.triplets.count, 12)
            XCTAssertEqual(outcome.result.histories["deep-ranking"]?["loss"]?.count, 2)
        }
        let records = try outcomes.map { try RunFileReader(path: $0.path).record() }
        XCTAssertEqual(records[0].dataset.kind, "photo-crops")
        XCTAssertEqual(records[0].dataset.count, 24)
        XCTAssertEqual(records[0].dataset.categoryNames, ["lomiri-wallpapers-16.04/Picture_1A_by_freespace.jpg",
                                                          "mate-backgrounds/nature/FreshFlower.jpg",
                                                          "mate-backgrounds/nature/GreenMeadow.jpg"])
        // The crops are the same for both seeds; the split is not.
        XCTAssertEqual(records[0].dataset.digest, records[1].dataset.digest)
        XCTAssertNotEqual(records[0].dataset.test, records[1].dataset.test)
        let reopened = try RunDataset.open(records[1], file: outcomes[1].path)
        XCTAssertEqual((0..<reopened.count).map(reopened.identifier(of:)), records[1].dataset.identifiers)
    }
}
