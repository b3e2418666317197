import DatasetKit
import Evaluation
import Foundation
import Features
import NeuralNet
import RunFile
import TensorKit

/// Deep ranking (PAPER.md, "Multi-scale network" and "Triplet sampling"): the multi-scale
/// network, or with no shallow parts the single-scale ConvNet, trained with the triplet
/// hinge loss on triplets from the paper's samplers; images are compared by squared
/// Euclidean distance between their unit-norm embeddings, the paper's D.
///
/// Optionally the ConvNet part is first pre-trained as a classifier on the training
/// categories (the paper pre-trains on ImageNet) and copied in by parameter name.
///
/// Streams (under the method's family): `init/<parameter>`, `dropout/deep.fc`, the
/// sampler's (`sampler/paper`, ...), `augment/<step>/<slot>` (child `augment`),
/// and the pre-training classifier's under child `pretrain`.
public final class DeepRankingMethod: SimilarityMethod {
    public let name: String
    public let network: MultiScaleConfig
    public let schedule: TrainingSchedule
    public let margin: Float
    public let sampler: SamplerChoice
    /// Classifier pre-training of the ConvNet part (nil: none).
    public let pretraining: TrainingSchedule?

    public private(set) var model: MultiScaleNetwork?
    public private(set) var history: [String: [Float]] = [:]

    public init(name: String, network: MultiScaleConfig, schedule: TrainingSchedule, margin: Float,
                sampler: SamplerChoice, pretraining: TrainingSchedule? = nil) {
        self.name = name; self.network = network; self.schedule = schedule; self.margin = margin
        self.sampler = sampler; self.pretraining = pretraining
    }

    public var isTrained: Bool { model != nil }

    public func train(_ context: MethodContext) throws {
        let started = Date()
        let model = MultiScaleNetwork(config: network, streams: context.streams)
        let resumed = context.checkpoints.resume(name)
        if resumed == nil, let pretraining {
            let classifier = ClassifierMethod(name: name + ".pretrain", network: network, schedule: pretraining)
            try classifier.train(context.with(streams: context.streams.child("pretrain")))
            let copied = classifier.model!.copyParameters(to: model.store)
            context.log("\(name): initialised \(copied.count) ConvNet parameters from the pre-trained classifier")
            history["pretrain_loss"] = classifier.history["loss"]
        }
        let table = try RelevanceTable(dataset: context.dataset, subset: context.split.train)
        var triplets = try sampler.make(table: table, streams: context.streams)
        let assembler = BatchAssembler(dataset: context.dataset, augmentation: context.augmentation,
                                       streams: context.streams.child("augment"), cacheImages: true)
        let b = schedule.batchSize
        let batch = Tensor(zeros: [3 * b, network.inputChannels, network.inputSize, network.inputSize])
        let loss = TripletHingeLoss(margin: margin)
        let optimizer = SGD(store: model.store, learningRate: schedule.learningRate, momentum: schedule.momentum,
                            weightDecay: schedule.weightDecay, nesterov: schedule.nesterov)
        var first = 0, earlierSeconds = 0.0
        if let state = resumed {
            try state.restore(into: model.store, optimizer: optimizer)
            model.dropoutStream = try state.stream(Self.dropoutStream)
            guard let samplerState = state.sampler else {
                throw MethodError.badCheckpoint(method: name, reason: "no sampler state")
            }
            try triplets.restore(samplerState)
            history = state.history
            first = state.step; earlierSeconds = state.seconds
            context.log("\(name): resuming at step \(first) of \(schedule.steps)")
        }
        var losses = history["loss"] ?? [], active = history["active_fraction"] ?? []
        let meter = ProgressMeter(method: name, steps: schedule.steps, imagesPerStep: 3 * b, context: context,
                                  firstStep: first)
        for step in first..<schedule.steps {
            let drawn = try triplets.batch(b)
            try assembler.fill(batch, indices: drawn.map(\.query) + drawn.map(\.positive) + drawn.map(\.negative),
                               step: step)
            model.store.zeroGradients()
            let (value, gradient) = loss(embeddings: model.forward(batch, training: true))
            guard value.isFinite else {
                history["loss"] = losses
                history["active_fraction"] = active
                throw MethodError.diverged(method: name, step: step, loss: value)
            }
            model.backward(gradient)
            optimizer.learningRate = schedule.learningRate(at: step)
            optimizer.step()
            losses.append(value)
            active.append(Float(loss.activeCount) / Float(b))
            meter.report(step: step, loss: value)
            if context.checkpoints.isDue(afterStep: step + 1, of: schedule.steps) {
                history["loss"] = losses
                history["active_fraction"] = active
                try context.checkpoints.save(TrainingState(
                    loop: name, step: step + 1, store: model.store, optimizer: optimizer,
                    streams: [Self.dropoutStream: model.dropoutStream], sampler: triplets.state, history: history,
                    seconds: earlierSeconds + Date().timeIntervalSince(started)))
            }
        }
        history["loss"] = losses
        history["active_fraction"] = active
        self.model = model
    }

    /// The dropout layer's stream (`MultiScaleNetwork`), saved with checkpoints.
    static let dropoutStream = "dropout/deep.fc"

    public func restore(arrays: [NamedArray], history: [String: [Float]], context: MethodContext) throws {
        let model = MultiScaleNetwork(config: network, streams: context.streams)
        try model.store.load(arrays, method: name)
        self.history = history
        self.model = model
    }

    public func rankers(for indices: [Int], context: MethodContext) throws -> [(row: String, ranker: Ranker)] {
        guard let model else { throw MethodError.notTrained(method: name) }
        let (dimension, values) = try NetworkEmbedding.rows(
            for: indices, context: context, inputSize: network.inputSize, channels: network.inputChannels) { x, _ in
            model.forward(x, training: false)
        }
        return [(name, Ranker(indices: indices, dimension: dimension, vectors: values,
                              comparison: .distance(.squaredL2)))]
    }

    public var learnedArrays: [NamedArray] {
        model?.store.namedArrays ?? []
    }
}
