import Experiments
import Foundation
import RunFile
import XCTest

final class SpecIdentityTests: XCTestCase {
    let spec = """
        # A comment.
        experiment: demo
        description: first wording
        seeds: [1, 2]
        methods:
          - {name: hog, type: handcrafted, feature: hog}
        """

    func testCommentsLayoutAndDescriptionDoNotMakeAnotherExperiment() {
        let reworded = """
            # Another comment, and the description reworded.
            experiment: demo
            description: >
              second wording
            seeds: [1, 2]
            methods:
              - name: hog
                type: handcrafted
                feature: "hog"
            """
        XCTAssert(SpecIdentity.same(spec, reworded))
    }

    func testAnyOtherChangeIsAnotherExperiment() {
        for changed in [spec.replacingOccurrences(of: "feature: hog", with: "feature: lbp"),
                        spec.replacingOccurrences(of: "[1, 2]", with: "[1, 2, 3]"),
                        spec.replacingOccurrences(of: "experiment: demo", with: "experiment: other"),
                        spec + "\ninput: {size: 32}", "not: [valid"] {
            XCTAssertFalse(SpecIdentity.same(spec, changed), changed)
        }
    }

    /// The committed specs were reworded after their runs (comments and descriptions that
    /// cited notes outside the repository); their run files still belong to them.
    func testCommittedSpecsStillOwnTheirCommittedRuns() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        for experiment in ["table1-features", "table2-architectures", "icons", "photo-crops", "quickstart"] {
            let spec = try String(contentsOf: root.appendingPathComponent("Experiments/\(experiment).yaml"), encoding: .utf8)
            let stored = try RunFileReader(path: root.appendingPathComponent("Results/\(experiment)/seed-1.h5").path).specText()
            XCTAssert(SpecIdentity.same(stored, spec), "Experiments/\(experiment).yaml is another experiment than its run files")
        }
    }
}
