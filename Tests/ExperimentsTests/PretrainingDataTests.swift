import DatasetKit
import Methods
import NeuralNet
import RunFile
import TensorKit
import XCTest

/// Classifier pre-training on a data set of its own (`pretrain.dataset`): it learns every
/// image of that set with that set's categories, the same bits with 1 or 2 threads, and a
/// set that shares a picture with the run's data set is refused.
final class PretrainingDataTests: XCTestCase {
    override func tearDown() {
        Parallel.configure(threads: 1)
        super.tearDown()
    }

    /// Other pictures: a synthetic set of 4 categories drawn from other streams, its
    /// identifiers (its origins) under `other/`.
    struct Elsewhere: ImageDataset {
        let base: SyntheticDataset
        var kind: String { "synthetic" }
        var count: Int { base.count }
        var categoryNames: [String] { base.categoryNames }
        func category(of index: Int) -> Int { base.category(of: index) }
        func relevance(_ a: Int, _ b: Int) -> Float { base.relevance(a, b) }
        func image(at index: Int) throws -> PlanarImage { try base.image(at: index) }
        func identifier(of index: Int) -> String { "other/" + base.identifier(of: index) }
    }

    static func elsewhere(_ streams: RandomStreams) throws -> any ImageDataset {
        var config = SyntheticConfig()
        config.categories = 4
        config.imagesPerCategory = 5
        config.imageSize = 32
        return Elsewhere(base: try SyntheticDataset(config: config, streams: streams.child("data")))
    }

    static func ranking(pretrainingData: @escaping (RandomStreams) throws -> any ImageDataset) -> DeepRankingMethod {
        DeepRankingMethod(name: "deep", network: TrainingLoopTests.network,
                          schedule: TrainingSchedule(steps: 2, batchSize: 3, learningRate: 0.01),
                          margin: 0.2, sampler: .paper(TripletSamplingParameters()),
                          pretraining: TrainingSchedule(steps: 3, batchSize: 4), pretrainingData: pretrainingData)
    }

    /// The learned arrays of `make()`'s method trained with 1, then 2 threads (3 pre-training
    /// steps each), and every line either logged.
    static func trainedWithOneAndTwoThreads(_ make: () -> DeepRankingMethod) throws -> (weights: [[NamedArray]], logs: [String]) {
        var weights: [[NamedArray]] = []
        var logs: [String] = []
        for threads in [1, 2] {
            Parallel.configure(threads: threads)
            let method = make()
            let context = try TrainingLoopTests.context(for: method, checkpoints: .none)
            let logged = MethodContext(dataset: context.dataset, split: context.split, streams: context.streams,
                                       augmentation: context.augmentation, log: { logs.append($0) })
            try method.train(logged)
            XCTAssertEqual(method.history["pretrain_loss"]?.count, 3)
            weights.append(method.learnedArrays)
        }
        return (weights, logs)
    }

    func testPretrainsOnTheOtherSetWithTheSameBitsOnAnyThreadCount() throws {
        let (weights, logs) = try Self.trainedWithOneAndTwoThreads { Self.ranking(pretrainingData: Self.elsewhere) }
        XCTAssertEqual(weights[0], weights[1], "1 and 2 threads")
        XCTAssertTrue(logs.contains("deep: pre-training on 20 synthetic images in 4 categories"), "\(logs)")

        // Without the other set, pre-training learns the run's 3 categories: other weights.
        let own = TrainingLoopTests.ranking(steps: 2)
        try TrainingLoopTests.train(own)
        XCTAssertNotEqual(own.learnedArrays.first { $0.name == "deep.conv1.weight" },
                          weights[0].first { $0.name == "deep.conv1.weight" })
    }

    func testASetSharingAPictureWithTheRunIsRefused() throws {
        var runDataset: (any ImageDataset)?
        let method = Self.ranking { _ in runDataset! }
        let context = try TrainingLoopTests.context(for: method, checkpoints: .none)
        runDataset = context.dataset
        XCTAssertThrowsError(try method.train(context)) { error in
            guard case MethodError.invalidSetting(let name, let key, let reason) = error else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(name, "deep")
            XCTAssertEqual(key, "pretrain.dataset")
            XCTAssertTrue(reason.contains("shares 36 picture(s) with the run's data set (first: "), reason)
        }
    }
}
