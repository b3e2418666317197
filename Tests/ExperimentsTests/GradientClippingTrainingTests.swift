import DatasetKit
import Methods
import TensorKit
import XCTest

/// `clip_gradient_norm` in training: a ranking network whose ranking and pre-training
/// steps both clip (at a norm small enough that every step does) trains the same bits with
/// 1 or 2 threads and when continued from any checkpoint, and other bits than without; it
/// records each step's norm before clipping (`gradient_norm`, `pretrain_gradient_norm`).
final class GradientClippingTrainingTests: XCTestCase {
    override func tearDown() {
        Parallel.configure(threads: 1)
        super.tearDown()
    }

    static func ranking(clip: Float?) -> DeepRankingMethod {
        DeepRankingMethod(name: "deep", network: TrainingLoopTests.network,
                          schedule: TrainingSchedule(steps: 5, batchSize: 3, learningRate: 0.01, clipGradientNorm: clip),
                          margin: 0.2, sampler: .paper(TripletSamplingParameters()),
                          pretraining: TrainingSchedule(steps: 3, batchSize: 4, clipGradientNorm: clip))
    }

    func testClippedTrainingIsBitIdenticalAcrossThreadsAndResumes() throws {
        Parallel.configure(threads: 1)
        let one = Self.ranking(clip: 0.01)
        let states = try TrainingLoopTests.train(one)
        Parallel.configure(threads: 2)
        let two = Self.ranking(clip: 0.01)
        try TrainingLoopTests.train(two)
        XCTAssertEqual(one.learnedArrays, two.learnedArrays)
        XCTAssertEqual(one.history, two.history)
        XCTAssertGreaterThan(states.count, 5)
        // The norms before clipping, per step of each loop: all above 0.01, so every step clipped.
        XCTAssertEqual(one.history["gradient_norm"]?.count, 5)
        XCTAssertEqual(one.history["pretrain_gradient_norm"]?.count, 3)
        for norm in (one.history["gradient_norm"] ?? []) + (one.history["pretrain_gradient_norm"] ?? []) {
            XCTAssertGreaterThan(norm, 0.01)
        }
        for state in states {
            let resumed = Self.ranking(clip: 0.01)
            try TrainingLoopTests.train(resumed, resume: state)
            XCTAssertEqual(resumed.learnedArrays, one.learnedArrays, "continued after \(state.loop) step \(state.step)")
        }

        let unclipped = Self.ranking(clip: nil)
        try TrainingLoopTests.train(unclipped)
        let huge = Self.ranking(clip: 1e9)
        try TrainingLoopTests.train(huge)
        XCTAssertEqual(huge.learnedArrays, unclipped.learnedArrays, "a norm never reached changes nothing")
        XCTAssertNil(unclipped.history["gradient_norm"], "without clipping the run keeps the keys it had")
        XCTAssertNil(unclipped.history["pretrain_gradient_norm"])
        XCTAssertNotEqual(one.learnedArrays, unclipped.learnedArrays, "clipping at 0.01 changes the weights")
    }
}
