import DatasetKit
import Methods
import NeuralNet
import RunFile
import TensorKit
import XCTest

/// Deep ranking with online hard mining: the same bits with 1 or 2 threads, the same bits
/// when continued from any checkpoint, and the curves and streams it saves.
final class HardMiningTrainingTests: XCTestCase {
    override func tearDown() {
        Parallel.configure(threads: 1)
        super.tearDown()
    }

    /// The tiny network of `TrainingLoopTests` on its 3-category data (category groups):
    /// 3 groups of 3 images a step, batch-hard or semi-hard, optionally mixed with 2 sampled
    /// triplets, with the cosine schedule.
    static func ranking(_ kind: HardMining.Kind, mix: Float = 0) -> DeepRankingMethod {
        DeepRankingMethod(name: "deep", network: TrainingLoopTests.network,
                          schedule: TrainingSchedule(steps: 4, batchSize: 2, learningRate: 0.05,
                                                     shape: .cosine(warmupSteps: 1, finalFraction: 0.1)),
                          margin: 0.2, sampler: .paper(TripletSamplingParameters()),
                          mining: HardMining(kind: kind, groups: 3, perGroup: 3, mix: mix))
    }

    func testTheMinedLossIsTheHingeLossOfTheSameTriplets() {
        // Rows laid out as TripletHingeLoss expects: the same triplets give the same bits.
        var stream = RandomStream(seed: 1, name: "embeddings")
        let b = 5, d = 7
        let e = Tensor(shape: [3 * b, d], values: (0..<(3 * b * d)).map { _ in stream.nextUniform(-0.5, 0.5) })
        let reference = TripletHingeLoss(margin: 0.3)
        let (loss, gradient) = reference(embeddings: e)
        let indexed = Tensor(zeros: [3 * b, d])
        let (value, active) = IndexedTripletHinge.accumulate(
            embeddings: e, triplets: (0..<b).map { Triplet(query: $0, positive: b + $0, negative: 2 * b + $0) },
            margin: 0.3, weight: 1, into: indexed)
        XCTAssertEqual(value.bitPattern, loss.bitPattern)
        XCTAssertEqual(active, reference.activeCount)
        XCTAssertGreaterThan(active, 0)
        XCTAssertEqual(indexed.array, gradient.array)
    }

    /// A single-scale network's output is the ConvNet part's features (`deepFeatures`), not
    /// `embedding` wide: the mined step's gradient must follow the output (it was sized by
    /// `embedding` and wrote past its end, corrupting the heap).
    func testMiningTrainsASingleScaleNetwork() throws {
        var config = TrainingLoopTests.network
        config.shallowParts = []
        config.embedding = config.deepFeatures / 2
        XCTAssertNotEqual(config.outputDimension, config.embedding)
        let method = DeepRankingMethod(name: "single", network: config,
                                       schedule: TrainingSchedule(steps: 3, batchSize: 2, learningRate: 0.05),
                                       margin: 0.2, sampler: .paper(TripletSamplingParameters()),
                                       mining: HardMining(kind: .semiHard, groups: 3, perGroup: 3, mix: 0.5))
        try TrainingLoopTests.train(method)
        XCTAssertEqual(method.history["loss"]?.count, 3)
        XCTAssertTrue(method.history["loss"]!.allSatisfy(\.isFinite))
    }

    func testMiningIsBitIdenticalWithOneOrTwoThreads() throws {
        for (kind, mix) in [(HardMining.Kind.batchHard, Float(0)), (.semiHard, 0.25)] {
            func train(threads: Int) throws -> DeepRankingMethod {
                Parallel.configure(threads: threads)
                let method = Self.ranking(kind, mix: mix)
                try TrainingLoopTests.train(method)
                return method
            }
            let one = try train(threads: 1), two = try train(threads: 2)
            XCTAssertEqual(one.learnedArrays, two.learnedArrays, "\(kind)")
            XCTAssertEqual(one.history, two.history, "\(kind)")
        }
    }

    func testContinuingFromAnyCheckpointGivesTheUninterruptedBits() throws {
        for (kind, mix) in [(HardMining.Kind.batchHard, Float(0)), (.semiHard, 0.5)] {
            let reference = Self.ranking(kind, mix: mix)
            let states = try TrainingLoopTests.train(reference)
            XCTAssertEqual(states.map(\.step), [1, 2, 3])
            for state in states {
                XCTAssertEqual(Set(state.streams.keys), ["dropout/deep.fc", "mining/groups"])
                XCTAssertEqual(state.sampler != nil, mix > 0, "the sampler is saved only when it is used")
                let resumed = Self.ranking(kind, mix: mix)
                let later = try TrainingLoopTests.train(resumed, resume: state)
                let label = "\(kind), mix \(mix), continued after \(state.step) steps"
                XCTAssertEqual(resumed.learnedArrays, reference.learnedArrays, label)
                XCTAssertEqual(resumed.history, reference.history, label)
                XCTAssertEqual(later.map(TrainingLoopTests.untimed),
                               states.filter { $0.step > state.step }.map(TrainingLoopTests.untimed), label)
            }
            XCTAssertEqual(Set(reference.history.keys), ["loss", "active_fraction", "mined_triplets", "learning_rate"])
            let mined = reference.history["mined_triplets"]!
            XCTAssertTrue(mined.allSatisfy { $0 >= 0 && $0 <= (kind == .batchHard ? 9 : 9 * 2) }, "\(mined)")
            if kind == .batchHard { XCTAssertTrue(mined.allSatisfy { $0 == 9 }, "every anchor has a positive and a negative") }
        }
    }

    func testTooManyGroupsPerBatchIsAnError() throws {
        let method = DeepRankingMethod(name: "deep", network: TrainingLoopTests.network,
                                       schedule: TrainingSchedule(steps: 2, batchSize: 2), margin: 0.2,
                                       sampler: .paper(TripletSamplingParameters()),
                                       mining: HardMining(kind: .batchHard, groups: 4))
        XCTAssertThrowsError(try TrainingLoopTests.train(method)) { error in
            guard case .invalidSetting(method: "deep", key: "mining.groups", let reason) = error as? MethodError else {
                return XCTFail("\(error)")
            }
            XCTAssertTrue(reason.contains("4 groups per batch, but the training split has 3 concept groups"), reason)
        }
    }
}
