import DatasetKit
import Evaluation
import Experiments
import Features
import Methods
import NeuralNet
import TensorKit
import XCTest

/// Every method end to end on a tiny synthetic data set: the runner trains each one, and
/// every row is scored on the same evaluation triplets, reproducibly.
final class ExperimentRunnerTests: XCTestCase {
    override func tearDown() { Parallel.configure(threads: 1) }

    static let network = MultiScaleConfig(
        inputSize: 32,
        deepStages: [ConvStage(channels: 4, kernel: 3, padding: 1), ConvStage(channels: 8, kernel: 3, padding: 1),
                     ConvStage(channels: 8, kernel: 3, padding: 1)],
        deepFeatures: 16, dropoutKeep: 0.6,
        shallowParts: [ShallowPart(subsample: 4, stage: ConvStage(channels: 4, kernel: 3, padding: 1)),
                       ShallowPart(subsample: 8, stage: ConvStage(channels: 4, kernel: 3, padding: 1))],
        embedding: 8)

    func plan(seed: UInt64) throws -> ExperimentPlan {
        var data = SyntheticConfig()
        data.categories = 3
        data.imagesPerCategory = 12
        data.imageSize = 32
        let sampler = SamplerChoice.paper(TripletSamplingParameters(relevanceMargin: 0.1))
        let schedule = TrainingSchedule(steps: 4, batchSize: 4, learningRate: 0.05)
        var single = Self.network
        single.shallowParts = []
        let singleScale = DeepRankingMethod(name: "single-scale", network: single, schedule: schedule, margin: 0.2,
                                            sampler: sampler)
        let hog = HandCraftedFeature(try HOG(), distance: .l2)
        let colour = HandCraftedFeature(try ColorHistogram(), distance: .chiSquare)
        let methods: [any SimilarityMethod] = [
            HandcraftedMethod(name: "hog", feature: hog),
            GoldenMethod(name: "golden", components: [hog, colour], learning: try GoldenWeightLearning(steps: 50),
                         trainingTriplets: 40, sampler: sampler),
            OASISMethod(name: "oasis-colour", base: HandcraftedMethod(name: "colour", feature: colour),
                        parameters: try OASISParameters(steps: 50), sampler: sampler),
            ClassifierMethod(name: "classifier", network: Self.network, schedule: schedule),
            singleScale,
            OASISMethod(name: "oasis-single-scale", base: singleScale, parameters: try OASISParameters(steps: 50),
                        sampler: sampler),
            DeepRankingMethod(name: "deep-ranking", network: Self.network, schedule: schedule, margin: 0.2,
                              sampler: .online(TripletSamplingParameters(relevanceMargin: 0.1), bufferSize: 6,
                                               acceptance: .normalizedToBuffer),
                              pretraining: TrainingSchedule(steps: 2, batchSize: 6)),
        ]
        return ExperimentPlan(name: "tiny", seed: seed, dataset: .synthetic(data), testFraction: 0.34,
                              evaluation: EvaluationTripletParameters(count: 16, relevanceGap: 0.1),
                              augmentation: try Augmentation(maxShift: 2), methods: methods)
    }

    func testEveryMethodProducesRowsOnTheSameTriplets() throws {
        let result = try ExperimentRunner(log: { _ in }).run(try plan(seed: 3))
        XCTAssertEqual(result.rows.map(\.row), ["hog", "golden", "oasis-colour", "classifier-probabilities",
                                                "classifier-penultimate", "single-scale", "oasis-single-scale",
                                                "deep-ranking"])
        XCTAssertEqual(result.evaluationTriplets.triplets.count, 16)
        for row in result.rows {
            XCTAssertEqual(row.outcomes.count, 16, row.row)
            XCTAssert((0...1).contains(row.similarityPrecision), row.row)
        }
        XCTAssertEqual(result.histories["deep-ranking"]?["loss"]?.count, 4)
        XCTAssertEqual(result.histories["deep-ranking"]?["pretrain_loss"]?.count, 2)
        XCTAssertEqual(result.learned["oasis-colour"]?.first?.shape, [512, 512])
        XCTAssertEqual(result.learned["golden"]?.first?.values.count, 2)
        // The single-scale network listed before its OASIS row is trained once, not twice.
        XCTAssertEqual(result.histories["single-scale"]?["loss"]?.count, 4)
    }

    func testSameSeedSameResultsWithOneAndTwoThreads() throws {
        Parallel.configure(threads: 1)
        let one = try ExperimentRunner(log: { _ in }).run(try plan(seed: 4))
        Parallel.configure(threads: 2)
        let two = try ExperimentRunner(log: { _ in }).run(try plan(seed: 4))
        XCTAssertEqual(one.evaluationTriplets.digest, two.evaluationTriplets.digest)
        XCTAssertEqual(one.rows.map(\.outcomes), two.rows.map(\.outcomes))
        for (a, b) in zip(one.learned.sorted { $0.key < $1.key }, two.learned.sorted { $0.key < $1.key }) {
            XCTAssertEqual(a.value.map { $0.values.map(\.bitPattern) }, b.value.map { $0.values.map(\.bitPattern) }, a.key)
        }
    }

    func testRankerSimilarities() {
        let distance = Ranker(indices: [7, 9], dimension: 2, vectors: [0, 0, 3, 4], comparison: .distance(.l2))
        XCTAssertEqual(distance.similarity(7, 9), -5)
        // a^T W b with W = [[1, 2], [0, 1]]: rows (1, 0) and (0, 1) give 2.
        let bilinear = Ranker(indices: [1, 2], dimension: 2, vectors: [1, 0, 0, 1], comparison: .bilinear(weights: [1, 2, 0, 1]))
        XCTAssertEqual(bilinear.similarity(1, 2), 2)
        XCTAssertEqual(bilinear.similarity(2, 1), 0)
        let precision = SimilarityPrecision.precision(distance, triplets: [Triplet(query: 7, positive: 7, negative: 9),
                                                                           Triplet(query: 7, positive: 9, negative: 9)])
        XCTAssertEqual(precision, 0.75, "one right, one tie")
    }
}
