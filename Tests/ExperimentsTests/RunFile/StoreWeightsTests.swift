import Experiments
import Foundation
import Methods
import RunFile
import XCTest

/// `store_weights`: results committed to git keep metrics and digests but may leave large
/// weights out; `replay` still proves the bits through the stored digests.
final class StoreWeightsTests: XCTestCase {
    func testLeftOutWeightsKeepTheirDigestsAndReplay() throws {
        let (directory, spec) = try makeTinyRunDirectory(self)
        let full = try tinyRunner(spec, out: directory + "/all").run()[0]

        let lean = directory + "/lean.yaml"
        try (tinySpecText + "store_weights: none\n").write(toFile: lean, atomically: true, encoding: .utf8)
        let outcome = try tinyRunner(try SpecParser.load(path: lean), out: directory + "/none").run()[0]
        XCTAssertEqual(outcome.digests.weights, full.digests.weights, "digests cover the weights, stored or not")

        let reader = try RunFileReader(path: outcome.path)
        XCTAssertEqual(try reader.digests(), outcome.digests)
        let deep = try reader.method("deep-ranking")
        XCTAssertFalse(deep.weightsStored)
        XCTAssertTrue(deep.weights.isEmpty)
        XCTAssertTrue(try RunFileReader(path: full.path).method("deep-ranking").weightsStored)

        let report = try Replay.run(path: outcome.path)
        XCTAssertTrue(report.identical, "\(String(describing: report.firstDifference))")
    }

    func testSmallKeepsOnlySmallArrays() throws {
        XCTAssertTrue(WeightStorage.small.keeps([NamedArray(name: "w", shape: [512, 512], values: .init(repeating: 0, count: 512 * 512))]))
        XCTAssertFalse(WeightStorage.small.keeps([NamedArray(name: "w", shape: [513, 512], values: .init(repeating: 0, count: 513 * 512))]))
        XCTAssertFalse(WeightStorage.none.keeps([NamedArray(name: "w", shape: [1], values: [0])]))
        XCTAssertTrue(WeightStorage.none.keeps([]))
    }
}
