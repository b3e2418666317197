import DatasetKit
import Foundation
import Evaluation
import Features
import NeuralNet
import RunFile
import TensorKit

/// The classifier baseline ("ConvNet" in the paper's Table 2): the ConvNet part with a
/// softmax classifier over the training categories, trained with cross-entropy on batches
/// of training images drawn uniformly (stream `batches`). It contributes two rows:
/// `<name>-probabilities` (squared L2 distance between class-probability vectors) and
/// `<name>-penultimate` (squared L2 distance between the fc features). The paper's point
/// is that the first cannot rank inside a category: the classifier is trained to give
/// every image of a category the same output.
public final class ClassifierMethod: SimilarityMethod {
    public let name: String
    public let network: MultiScaleConfig
    public let schedule: TrainingSchedule

    public private(set) var model: ClassifierNetwork?
    public private(set) var history: [String: [Float]] = [:]

    public init(name: String, network: MultiScaleConfig, schedule: TrainingSchedule) {
        self.name = name; self.network = network; self.schedule = schedule
    }

    public var isTrained: Bool { model != nil }

    public func train(_ context: MethodContext) throws {
        let started = Date()
        let classes = context.dataset.categoryNames.count
        guard classes >= 2 else {
            throw MethodError.invalidSetting(method: name, key: "dataset", reason: "a classifier needs two or more categories")
        }
        let model = ClassifierNetwork(config: network, classes: classes, streams: context.streams)
        let assembler = BatchAssembler(dataset: context.dataset, augmentation: context.augmentation,
                                       streams: context.streams.child("augment"), cacheImages: true)
        let train = context.split.train
        var batches = context.streams.stream(Self.batchStream)
        let b = schedule.batchSize
        let batch = Tensor(zeros: [b, network.inputChannels, network.inputSize, network.inputSize])
        let loss = SoftmaxCrossEntropy()
        let optimizer = SGD(store: model.store, learningRate: schedule.learningRate, momentum: schedule.momentum,
                            weightDecay: schedule.weightDecay, nesterov: schedule.nesterov)
        var first = 0, earlierSeconds = 0.0
        if let state = context.checkpoints.resume(name) {
            try state.restore(into: model.store, optimizer: optimizer)
            model.dropoutStream = try state.stream(DeepRankingMethod.dropoutStream)
            batches = try state.stream(Self.batchStream)
            history = state.history
            first = state.step; earlierSeconds = state.seconds
            context.log("\(name): resuming at step \(first) of \(schedule.steps)")
        }
        var losses = history["loss"] ?? []
        let meter = ProgressMeter(method: name, steps: schedule.steps, imagesPerStep: b, context: context, firstStep: first)
        for step in first..<schedule.steps {
            let indices = (0..<b).map { _ in train[batches.nextInt(below: train.count)] }
            try assembler.fill(batch, indices: indices, step: step)
            model.store.zeroGradients()
            let (value, gradient) = loss(logits: model.forward(batch, training: true),
                                         labels: indices.map { context.dataset.category(of: $0) })
            guard value.isFinite else {
                history["loss"] = losses
                throw MethodError.diverged(method: name, step: step, loss: value)
            }
            model.backward(gradient)
            optimizer.learningRate = schedule.learningRate(at: step)
            optimizer.step()
            losses.append(value)
            meter.report(step: step, loss: value, label: "cross-entropy")
            if context.checkpoints.isDue(afterStep: step + 1, of: schedule.steps) {
                history["loss"] = losses
                try context.checkpoints.save(TrainingState(
                    loop: name, step: step + 1, store: model.store, optimizer: optimizer,
                    streams: [Self.batchStream: batches, DeepRankingMethod.dropoutStream: model.dropoutStream],
                    sampler: nil, history: history, seconds: earlierSeconds + Date().timeIntervalSince(started)))
            }
        }
        history["loss"] = losses
        self.model = model
    }

    /// The stream the training batches are drawn from.
    static let batchStream = "batches"

    /// The number of classes comes from the stored `classifier.bias`, so a model restores
    /// also beside another data set (`deeprank embed` on a folder of new images).
    public func restore(arrays: [NamedArray], history: [String: [Float]], context: MethodContext) throws {
        guard let bias = arrays.first(where: { $0.name == "classifier.bias" }), bias.shape.count == 1, bias.shape[0] >= 2 else {
            throw MethodError.badCheckpoint(method: name, reason: "classifier.bias is missing or has fewer than 2 classes")
        }
        let model = ClassifierNetwork(config: network, classes: bias.shape[0], streams: context.streams)
        try model.store.load(arrays, method: name)
        self.history = history
        self.model = model
    }

    public func rankers(for indices: [Int], context: MethodContext) throws -> [(row: String, ranker: Ranker)] {
        guard let model else { throw MethodError.notTrained(method: name) }
        var penultimate: [Float] = []
        var features = 0
        let (classes, logits) = try NetworkEmbedding.rows(
            for: indices, context: context, inputSize: network.inputSize, channels: network.inputChannels) { x, used in
            let out = model.forward(x, training: false)
            let h = model.penultimate
            features = h.count / x.shape[0]
            penultimate.append(contentsOf: UnsafeBufferPointer(start: h.pointer, count: used * features))
            return out
        }
        return [("\(name)-probabilities", Ranker(indices: indices, dimension: classes,
                                                   vectors: ClassifierMethod.softmax(logits, classes: classes),
                                                   comparison: .distance(.squaredL2))),
                ("\(name)-penultimate", Ranker(indices: indices, dimension: features, vectors: penultimate,
                                                 comparison: .distance(.squaredL2)))]
    }

    /// Row-wise softmax of `[N, classes]` logits.
    static func softmax(_ logits: [Float], classes: Int) -> [Float] {
        var out = logits
        for r in 0..<(logits.count / classes) {
            let row = r * classes
            let m = logits[row..<(row + classes)].max()!
            var sum: Float = 0
            for j in 0..<classes { out[row + j] = expf(logits[row + j] - m); sum += out[row + j] }
            for j in 0..<classes { out[row + j] /= sum }
        }
        return out
    }

    public var learnedArrays: [NamedArray] {
        model?.store.namedArrays ?? []
    }
}
