import DatasetKit
import Features
@testable import Methods
import NeuralNet
import TensorKit
import XCTest

/// Pre-training that regresses HOG descriptors (`pretrain.target: hog`): its targets keep
/// HOG's distances up to one scale, and ranking with it trains the same bits with 1 or 2
/// threads and when continued from any checkpoint, other bits than the classifier's.
final class HOGPretrainingTests: XCTestCase {
    override func tearDown() {
        Parallel.configure(threads: 1)
        super.tearDown()
    }

    static func ranking() -> DeepRankingMethod {
        DeepRankingMethod(name: "deep", network: TrainingLoopTests.network,
                          schedule: TrainingSchedule(steps: 4, batchSize: 3, learningRate: 0.01),
                          margin: 0.2, sampler: .paper(TripletSamplingParameters()),
                          pretraining: TrainingSchedule(steps: 3, batchSize: 4, learningRate: 0.002),
                          pretrainingTarget: .hog)
    }

    /// Centred per dimension, root mean square 1, and every pairwise L2 distance the HOG
    /// row's own times one constant: the HOG row's ranking, which the head learns to reproduce.
    func testTargetsAreHOGsDescriptorsUpToOneScale() throws {
        let context = try TrainingLoopTests.context(for: Self.ranking(), checkpoints: .none)
        let targets = try HOGRegressionTraining.targets(context)
        let raw = try FeatureRows.matrix(try HOG(), indices: context.split.train, context: context)
        XCTAssertEqual(targets.rows, context.split.train.count)
        XCTAssertEqual(targets.dimension, raw.dimension)
        for j in 0..<targets.dimension {
            let mean = (0..<targets.rows).map { Double(targets.values[$0 * targets.dimension + j]) }.reduce(0, +)
            XCTAssertEqual(mean / Double(targets.rows), 0, accuracy: 1e-5, "dimension \(j) is centred")
        }
        let squares = targets.values.map { Double($0) * Double($0) }.reduce(0, +)
        XCTAssertEqual(squares / Double(targets.values.count), 1, accuracy: 1e-4)

        func distance(_ m: FeatureMatrix, _ a: Int, _ b: Int) -> Double {
            zip(m.row(a), m.row(b)).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +).squareRoot()
        }
        let scale = distance(targets, 0, 1) / distance(raw, 0, 1)
        XCTAssertGreaterThan(scale, 1, "HOG's values are small, so the scale is large")
        for (a, b) in [(0, 2), (1, 5), (3, 7), (4, targets.rows - 1)] {
            XCTAssertEqual(distance(targets, a, b) / distance(raw, a, b), scale, accuracy: scale * 1e-4, "pair \(a), \(b)")
        }
    }

    func testTrainingIsBitIdenticalAcrossThreadsAndResumes() throws {
        Parallel.configure(threads: 1)
        let one = Self.ranking()
        let states = try TrainingLoopTests.train(one)
        Parallel.configure(threads: 2)
        let two = Self.ranking()
        try TrainingLoopTests.train(two)
        XCTAssertEqual(one.learnedArrays, two.learnedArrays)
        XCTAssertEqual(one.history, two.history)
        XCTAssertEqual(one.history["pretrain_loss"]?.count, 3)
        XCTAssertGreaterThan(states.count, 4)
        for state in states {
            let resumed = Self.ranking()
            try TrainingLoopTests.train(resumed, resume: state)
            XCTAssertEqual(resumed.learnedArrays, one.learnedArrays, "continued after \(state.loop) step \(state.step)")
        }

        let categories = TrainingLoopTests.ranking(steps: 4)
        try TrainingLoopTests.train(categories)
        XCTAssertNotEqual(categories.learnedArrays.first { $0.name == "deep.conv1.weight" },
                          one.learnedArrays.first { $0.name == "deep.conv1.weight" }, "another target, other weights")
    }
}
