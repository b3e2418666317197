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

    /// Each slot of a drawn batch is paired with its own image's target: without shifts, the
    /// distance between the targets of slots k and l is the HOG distance between the pixels
    /// the two slots hold, times the one scale, for every pair.
    func testEverySlotGetsItsOwnImagesTarget() throws {
        let shifted = try TrainingLoopTests.context(for: Self.ranking(), checkpoints: .none)
        let context = MethodContext(dataset: shifted.dataset, split: shifted.split, streams: shifted.streams,
                                    augmentation: try Augmentation(maxShift: 0))
        let config = TrainingLoopTests.network
        let targets = try HOGRegressionTraining.targets(context)
        let model = ClassifierNetwork(config: config, classes: targets.dimension, streams: context.streams)
        var task = HOGRegressionTraining(model: model, targets: targets, batchSize: 6, context: context)
        try task.drawBatch(step: 0)
        let wanted = task.batchTargets
        let hog = try HOG()
        let plane = config.inputChannels * config.inputSize * config.inputSize
        let slots = try (0..<6).map { k in
            try hog.features(of: PlanarImage(channels: config.inputChannels, height: config.inputSize,
                                             width: config.inputSize,
                                             pixels: Array(task.batch.tensor.array[(k * plane)..<((k + 1) * plane)])))
        }
        func distance(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
            zip(a, b).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +).squareRoot()
        }
        let d = targets.dimension
        func row(_ k: Int) -> ArraySlice<Float> { wanted[(k * d)..<((k + 1) * d)] }
        var ratios: [Double] = []
        for k in 0..<6 {
            for l in (k + 1)..<6 where distance(slots[k][...], slots[l][...]) > 1e-6 {
                ratios.append(distance(row(k), row(l)) / distance(slots[k][...], slots[l][...]))
            }
        }
        XCTAssertGreaterThan(ratios.count, 5)
        for ratio in ratios { XCTAssertEqual(ratio, ratios[0], accuracy: ratios[0] * 1e-4) }
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

    /// On a data set of its own (`pretrain.dataset`) it regresses that set's descriptors:
    /// every one of its 20 images, the same bits with 1 or 2 threads.
    func testRegressesAnotherDataSetsImages() throws {
        let (weights, logs) = try PretrainingDataTests.trainedWithOneAndTwoThreads {
            DeepRankingMethod(name: "deep", network: TrainingLoopTests.network,
                              schedule: TrainingSchedule(steps: 2, batchSize: 3, learningRate: 0.01),
                              margin: 0.2, sampler: .paper(TripletSamplingParameters()),
                              pretraining: TrainingSchedule(steps: 3, batchSize: 4, learningRate: 0.002),
                              pretrainingData: PretrainingDataTests.elsewhere, pretrainingTarget: .hog)
        }
        XCTAssertEqual(weights[0], weights[1], "1 and 2 threads")
        XCTAssertTrue(logs.contains("deep.pretrain: regressing the 324-value HOG descriptors of 20 images"), "\(logs)")
        XCTAssertTrue(logs.contains("deep: initialised 8 ConvNet parameters from the network pre-trained on HOG targets"),
                      "\(logs)")
    }
}
