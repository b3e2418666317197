import DatasetKit
import Features
import Foundation
@testable import Methods
import NeuralNet
import RunFile
import Storage
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

    static func ranking(scope: PretrainingScope = .convnet, steps: Int = 4) -> DeepRankingMethod {
        DeepRankingMethod(name: "deep", network: TrainingLoopTests.network,
                          schedule: TrainingSchedule(steps: steps, batchSize: 3, learningRate: 0.01),
                          margin: 0.2, sampler: .paper(TripletSamplingParameters()),
                          pretraining: TrainingSchedule(steps: 3, batchSize: 4, learningRate: 0.002),
                          pretrainingTarget: .hog, pretrainingScope: scope)
    }

    /// Centred per dimension, root mean square 1, and every pairwise L2 distance the HOG
    /// row's own times one constant: the HOG row's ranking, which the head learns to reproduce.
    func testTargetsAreHOGsDescriptorsUpToOneScale() throws {
        let context = try TrainingLoopTests.context(for: Self.ranking(), checkpoints: .none)
        let targets = try HOGTargets.matrix(context)
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
        let targets = try HOGTargets.matrix(context)
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
        try checkBitIdenticalAcrossThreadsAndResumes(scope: .convnet)
    }

    func testWholeNetworkTrainingIsBitIdenticalAcrossThreadsAndResumes() throws {
        try checkBitIdenticalAcrossThreadsAndResumes(scope: .network)
    }

    /// With `scope: network` every parameter of the ranking network, the shallow parts and
    /// the embedding too, starts from the pre-trained network: with no ranking steps none is
    /// the initialiser's draw (with `scope: convnet` the shallow parts and the embedding
    /// are), and the head's parameters are not copied.
    func testWholeNetworkPretrainingSetsEveryPart() throws {
        func untrainedRanking(_ scope: PretrainingScope) throws -> (arrays: [String: [Float]], logs: [String]) {
            let method = Self.ranking(scope: scope, steps: 0)
            let base = try TrainingLoopTests.context(for: method, checkpoints: .none)
            var logs: [String] = []
            try method.train(MethodContext(dataset: base.dataset, split: base.split, streams: base.streams,
                                           augmentation: base.augmentation, log: { logs.append($0) }))
            return (Dictionary(uniqueKeysWithValues: method.learnedArrays.map { ($0.name, $0.values) }), logs)
        }
        let context = try TrainingLoopTests.context(for: Self.ranking(), checkpoints: .none)
        let drawn = MultiScaleNetwork(config: TrainingLoopTests.network, streams: context.streams)
        let whole = try untrainedRanking(.network), convnet = try untrainedRanking(.convnet)
        XCTAssertEqual(Set(whole.arrays.keys), Set(drawn.store.parameters.map(\.name)), "no head parameter")
        XCTAssertGreaterThan(drawn.store.parameters.filter { !$0.name.hasPrefix("deep.") }.count, 2)
        for p in drawn.store.parameters {
            XCTAssertNotEqual(whole.arrays[p.name], p.value.array, "\(p.name) comes from pre-training")
            if p.name.hasPrefix("deep.") {
                XCTAssertNotEqual(convnet.arrays[p.name], p.value.array, "\(p.name): the ConvNet part is pre-trained")
            } else {
                XCTAssertEqual(convnet.arrays[p.name], p.value.array, "\(p.name): only the ConvNet part is pre-trained")
            }
        }
        XCTAssertTrue(whole.logs.contains("deep: initialised \(drawn.store.parameters.count) parameters from the whole "
                                          + "network pre-trained on HOG targets"), "\(whole.logs)")
        XCTAssertTrue(whole.logs.contains("deep.pretrain: the whole network regressing the 324-value HOG descriptors "
                                          + "of \(context.split.train.count) images"), "\(whole.logs)")
    }

    private func checkBitIdenticalAcrossThreadsAndResumes(scope: PretrainingScope) throws {
        Parallel.configure(threads: 1)
        let one = Self.ranking(scope: scope)
        let states = try TrainingLoopTests.train(one)
        Parallel.configure(threads: 2)
        let two = Self.ranking(scope: scope)
        try TrainingLoopTests.train(two)
        XCTAssertEqual(one.learnedArrays, two.learnedArrays)
        XCTAssertEqual(one.history, two.history)
        XCTAssertEqual(one.history["pretrain_loss"]?.count, 3)
        XCTAssertGreaterThan(states.count, 4)
        for state in states {
            let resumed = Self.ranking(scope: scope)
            try TrainingLoopTests.train(resumed, resume: state)
            XCTAssertEqual(resumed.learnedArrays, one.learnedArrays, "continued after \(state.loop) step \(state.step)")
        }

        let other = scope == .convnet ? TrainingLoopTests.ranking(steps: 4) : Self.ranking(scope: .convnet)
        try TrainingLoopTests.train(other)
        XCTAssertNotEqual(other.learnedArrays.first { $0.name == "deep.conv1.weight" },
                          one.learnedArrays.first { $0.name == "deep.conv1.weight" }, "another pre-training, other weights")
    }

    /// A ranking whose HOG-target pre-training of `scope` learns `PretrainingDataTests.elsewhere`.
    static func rankingElsewhere(_ scope: PretrainingScope) -> DeepRankingMethod {
        DeepRankingMethod(name: "deep", network: TrainingLoopTests.network,
                          schedule: TrainingSchedule(steps: 2, batchSize: 3, learningRate: 0.01),
                          margin: 0.2, sampler: .paper(TripletSamplingParameters()),
                          pretraining: TrainingSchedule(steps: 3, batchSize: 4, learningRate: 0.002),
                          pretrainingData: PretrainingDataTests.elsewhere, pretrainingTarget: .hog,
                          pretrainingScope: scope)
    }

    /// On a data set of its own (`pretrain.dataset`) it regresses that set's descriptors:
    /// every one of its 20 images, the same bits with 1 or 2 threads.
    func testRegressesAnotherDataSetsImages() throws {
        let (weights, logs) = try PretrainingDataTests.trainedWithOneAndTwoThreads { Self.rankingElsewhere(.convnet) }
        XCTAssertEqual(weights[0], weights[1], "1 and 2 threads")
        XCTAssertTrue(logs.contains("deep.pretrain: regressing the 324-value HOG descriptors of 20 images"), "\(logs)")
        XCTAssertTrue(logs.contains("deep: initialised 8 ConvNet parameters from the network pre-trained on HOG targets"),
                      "\(logs)")
    }

    /// The whole network (`pretrain.scope: network`) on a data set of its own regresses that
    /// set's 20 images, with the same bits with 1 or 2 threads, and sets every parameter.
    func testWholeNetworkRegressesAnotherDataSetsImages() throws {
        let (weights, logs) = try PretrainingDataTests.trainedWithOneAndTwoThreads { Self.rankingElsewhere(.network) }
        XCTAssertEqual(weights[0], weights[1], "1 and 2 threads")
        XCTAssertTrue(logs.contains("deep.pretrain: the whole network regressing the 324-value HOG descriptors of 20 images"),
                      "\(logs)")
        XCTAssertTrue(logs.contains("deep: initialised \(weights[0].count) parameters from the whole network pre-trained "
                                    + "on HOG targets"), "\(logs)")
    }

    /// With `network.init_from`, the whole-network pre-training starts from the file, not
    /// from its own draws: pre-trained at the rate 0 (two steps that move nothing) and with no
    /// ranking step, the ranking network ends with the file's values; at a rate above 0 the
    /// pre-training moves them.
    func testWholeNetworkPretrainingStartsFromInitFrom() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hog-init-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let drawn = MultiScaleNetwork(config: TrainingLoopTests.network, streams: RandomStreams(seed: 77))
        let path = directory + "/whole.h5"
        let file = try HDF5File(creating: path)
        try file.root.setAttribute(WeightsFile.formatAttribute, to: WeightsFile.format)
        try file.root.setAttribute(WeightsFile.versionAttribute, to: WeightsFile.version)
        for p in drawn.store.parameters { try file.root.write(p.value.array, shape: p.shape, to: p.name) }
        try file.close()
        let source = try WeightsSource(path: path)

        func trained(rate: Float) throws -> [String: [Float]] {
            let method = DeepRankingMethod(name: "deep", network: TrainingLoopTests.network,
                                           schedule: TrainingSchedule(steps: 0, batchSize: 3, learningRate: 0.01),
                                           margin: 0.2, sampler: .paper(TripletSamplingParameters()),
                                           pretraining: TrainingSchedule(steps: 2, batchSize: 4, learningRate: rate),
                                           initialWeights: source, pretrainingTarget: .hog, pretrainingScope: .network)
            try TrainingLoopTests.train(method)
            return Dictionary(uniqueKeysWithValues: method.learnedArrays.map { ($0.name, $0.values) })
        }
        let still = try trained(rate: 0)
        for p in drawn.store.parameters { XCTAssertEqual(still[p.name], p.value.array, "\(p.name) is the file's") }
        let moved = try trained(rate: 0.002)
        XCTAssertNotEqual(moved["shallow_a.conv.weight"], still["shallow_a.conv.weight"], "pre-training moves it")
    }
}
