import DatasetKit
import Methods
import NeuralNet
import RunFile
import TensorKit
import XCTest

/// Classifier pre-training on the training split's concept groups (`pretrain.concept_relevance`):
/// its classes are the groups, its images only the groups' training images, and it trains
/// the same bits with 1 or 2 threads, other bits than pre-training on the categories.
final class ConceptPretrainingTests: XCTestCase {
    override func tearDown() {
        Parallel.configure(threads: 1)
        super.tearDown()
    }

    static let threshold: Float = 0.5

    func testTheGroupsAreTheClassesAndOnlyTrainingImagesAreSeen() throws {
        let context = try TrainingLoopTests.context(for: TrainingLoopTests.ranking(), checkpoints: .none)
        let table = try RelevanceTable(dataset: context.dataset, subset: context.split.train)
        let groups = try ConceptGroups(table: table, conceptRelevance: Self.threshold)
        let concepts = ConceptLabelledDataset(base: context.dataset, groups: groups)
        XCTAssertGreaterThan(groups.groups.count, context.dataset.categoryNames.count, "finer than the categories")
        XCTAssertEqual(concepts.count, groups.groups.map(\.count).reduce(0, +))
        XCTAssertEqual(concepts.categoryNames.count, groups.groups.count)
        XCTAssertTrue(Set(concepts.baseIndices).isSubset(of: context.split.train), "no test image")
        for (g, group) in groups.groups.enumerated() {
            let members = (0..<concepts.count).filter { concepts.category(of: $0) == g }
            XCTAssertEqual(members.map { concepts.baseIndices[$0] }, group)
            XCTAssertEqual(concepts.identifier(of: members[0]), context.dataset.identifier(of: group[0]))
            XCTAssertEqual(try concepts.image(at: members[0]), try context.dataset.image(at: group[0]))
        }
    }

    func testPretrainsOnTheConceptsWithTheSameBitsOnAnyThreadCount() throws {
        let (weights, logs) = try PretrainingDataTests.trainedWithOneAndTwoThreads {
            DeepRankingMethod(name: "deep", network: TrainingLoopTests.network,
                              schedule: TrainingSchedule(steps: 2, batchSize: 3, learningRate: 0.01),
                              margin: 0.2, sampler: .paper(TripletSamplingParameters()),
                              pretraining: TrainingSchedule(steps: 3, batchSize: 4), pretrainingConceptRelevance: Self.threshold)
        }
        XCTAssertEqual(weights[0], weights[1], "1 and 2 threads")
        XCTAssertTrue(logs.contains { $0.hasPrefix("deep: pre-training on ") && $0.hasSuffix(" concepts (relevance >= 0.5)") },
                      "\(logs)")

        let categories = TrainingLoopTests.ranking(steps: 2)
        try TrainingLoopTests.train(categories)
        XCTAssertNotEqual(categories.learnedArrays.first { $0.name == "deep.conv1.weight" },
                          weights[0].first { $0.name == "deep.conv1.weight" }, "other classes, other weights")
    }
}
