import DatasetKit
import Methods
import NeuralNet
import RunFile
import TensorKit
import XCTest

/// The training loop the two network methods share, seen through what it saves: the
/// curves, streams and sampler state of every checkpoint, the bits of a run continued
/// from any checkpoint, and the curves a diverging run leaves behind. The names checked
/// here (`loss`, `active_fraction`, `pretrain_loss`, `batches`, `dropout/deep.fc`) are
/// keys of the stored run files.
final class TrainingLoopTests: XCTestCase {
    /// The tiny network at 32 x 32, with dropout so that the dropout stream matters.
    static let network: MultiScaleConfig = {
        var config = MultiScaleConfig.tiny
        config.inputSize = 32
        config.dropoutKeep = 0.6
        return config
    }()

    /// Deep ranking on the tiny network, 3 triplets per step, after 3 steps of classifier
    /// pre-training (4 images per step).
    static func ranking(steps: Int = 5, learningRate: Float = 0.01) -> DeepRankingMethod {
        DeepRankingMethod(name: "deep", network: network,
                          schedule: TrainingSchedule(steps: steps, batchSize: 3, learningRate: learningRate),
                          margin: 0.2, sampler: .paper(TripletSamplingParameters()),
                          pretraining: TrainingSchedule(steps: 3, batchSize: 4))
    }

    /// Synthetic data (3 categories of 12 images, 32 x 32) split as a run with seed 3 splits
    /// it, shifts up to 2 pixels, the streams of the method's family.
    static func context(for method: any SimilarityMethod, checkpoints: TrainingCheckpoints) throws -> MethodContext {
        let streams = RandomStreams(seed: 3)
        var data = SyntheticConfig()
        data.categories = 3
        data.imagesPerCategory = 12
        data.imageSize = 32
        let dataset = try SyntheticDataset(config: data, streams: streams.child("data"))
        return MethodContext(dataset: dataset, split: DatasetSplit(dataset: dataset, testFraction: 0.34, streams: streams),
                             streams: streams.child(method.name), augmentation: try Augmentation(maxShift: 2),
                             checkpoints: checkpoints)
    }

    /// Trains `method` with a checkpoint after every step, continuing from `resume` when its
    /// loop asks for it; returns the states saved, in order.
    @discardableResult
    static func train(_ method: any SimilarityMethod, resume: TrainingState? = nil) throws -> [TrainingState] {
        var saved: [TrainingState] = []
        let checkpoints = TrainingCheckpoints(interval: 1, save: { saved.append($0) },
                                              resume: { loop in resume?.loop == loop ? resume : nil })
        try method.train(try context(for: method, checkpoints: checkpoints))
        return saved
    }

    /// The state without its training seconds (wall time, not part of the results).
    static func untimed(_ state: TrainingState) -> TrainingState {
        var state = state
        state.seconds = 0
        return state
    }

    func testEveryCheckpointHoldsTheCurvesAndStreamsOfItsLoop() throws {
        let method = Self.ranking()
        let states = try Self.train(method)
        // Not after the last step of a loop: the finished method is saved whole.
        XCTAssertEqual(states.map(\.loop), ["deep.pretrain", "deep.pretrain", "deep", "deep", "deep", "deep"])
        XCTAssertEqual(states.map(\.step), [1, 2, 1, 2, 3, 4])
        for state in states.prefix(2) {
            XCTAssertEqual(Set(state.streams.keys), ["batches", "dropout/deep.fc"])
            XCTAssertNil(state.sampler)
            XCTAssertEqual(Array(state.history.keys), ["loss"])
            XCTAssertEqual(state.history["loss"]?.count, state.step)
        }
        let pretrainLoss = try XCTUnwrap(method.history["pretrain_loss"])
        XCTAssertEqual(pretrainLoss.count, 3)
        XCTAssertEqual(Array(pretrainLoss.prefix(2)), states[1].history["loss"])
        for state in states.dropFirst(2) {
            XCTAssertEqual(Set(state.streams.keys), ["dropout/deep.fc"])
            XCTAssertNotNil(state.sampler)
            XCTAssertEqual(Set(state.history.keys), ["pretrain_loss", "loss", "active_fraction"])
            XCTAssertEqual(state.history["pretrain_loss"], pretrainLoss)
            for series in ["loss", "active_fraction"] {
                XCTAssertEqual(state.history[series], method.history[series].map { Array($0.prefix(state.step)) },
                               "\(series) after \(state.step) steps")
            }
        }
        XCTAssertEqual(Set(method.history.keys), ["pretrain_loss", "loss", "active_fraction"])
        XCTAssertEqual(method.history["loss"]?.count, 5)
        XCTAssertTrue(method.history["active_fraction"]!.allSatisfy { (0...1).contains($0) })
    }

    func testContinuingFromAnyCheckpointGivesTheUninterruptedBits() throws {
        let reference = Self.ranking()
        let states = try Self.train(reference)
        for (n, state) in states.enumerated() {
            let resumed = Self.ranking()
            let later = try Self.train(resumed, resume: state)
            let label = "continued from \(state.loop) after \(state.step) steps"
            XCTAssertEqual(resumed.learnedArrays, reference.learnedArrays, label)
            XCTAssertEqual(resumed.history, reference.history, label)
            // The checkpoints written after continuing are the uninterrupted run's.
            XCTAssertEqual(later.map(Self.untimed), states[(n + 1)...].map(Self.untimed), label)
        }
    }

    func testADivergingRankingLoopKeepsEveryCurveUpToTheFailingStep() throws {
        let method = Self.ranking(steps: 6, learningRate: 3e38)
        XCTAssertThrowsError(try Self.train(method)) { error in
            guard case .diverged(method: "deep", let step, let loss) = error as? MethodError else {
                return XCTFail("\(error)")
            }
            XCTAssertFalse(loss.isFinite)
            XCTAssertEqual(Set(method.history.keys), ["pretrain_loss", "loss", "active_fraction"])
            XCTAssertEqual(method.history["pretrain_loss"]?.count, 3)
            XCTAssertEqual(method.history["loss"]?.count, step)
            XCTAssertEqual(method.history["active_fraction"]?.count, step)
            XCTAssertTrue(method.history["loss"]!.allSatisfy(\.isFinite))
        }
        XCTAssertFalse(method.isTrained)
    }

    func testADivergingClassifierKeepsItsLossUpToTheFailingStep() throws {
        let method = ClassifierMethod(name: "classifier", network: Self.network,
                                      schedule: TrainingSchedule(steps: 6, batchSize: 4, learningRate: 3e38))
        XCTAssertThrowsError(try Self.train(method)) { error in
            guard case .diverged(method: "classifier", let step, _) = error as? MethodError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(Array(method.history.keys), ["loss"])
            XCTAssertEqual(method.history["loss"]?.count, step)
        }
        XCTAssertFalse(method.isTrained)
    }
}
