import DatasetKit
import Foundation
import Evaluation
import NeuralNet
import RunFile
import TensorKit

/// The classifier baseline ("ConvNet" in the paper's Table 2): the ConvNet part with a
/// softmax classifier over the training categories, trained by `TrainingLoop` with
/// cross-entropy on batches of training images drawn uniformly (`ClassifierTraining`). It
/// contributes two rows: `<name>-probabilities` (squared L2 distance between
/// class-probability vectors) and `<name>-penultimate` (squared L2 distance between the fc
/// features). The paper's point is that the first cannot rank inside a category: the
/// classifier is trained to give every image of a category the same output.
///
/// Streams (under the method's family): `init/<parameter>`, `batches`, `dropout/deep.fc`,
/// `augment/<step>/<slot>` (child `augment`).
public final class ClassifierMethod: SimilarityMethod {
    public let name: String
    public let network: MultiScaleConfig
    public let schedule: TrainingSchedule
    /// The file the ConvNet part starts from (`network.init_from`; nil: the initialiser's draws).
    public let initialWeights: WeightsSource?

    public private(set) var model: ClassifierNetwork?
    public private(set) var history: [String: [Float]] = [:]

    public init(name: String, network: MultiScaleConfig, schedule: TrainingSchedule, initialWeights: WeightsSource? = nil) {
        self.name = name; self.network = network; self.schedule = schedule; self.initialWeights = initialWeights
    }

    public var isTrained: Bool { model != nil }

    public func train(_ context: MethodContext) throws {
        try train(context, startingFrom: initialWeights.map(WeightsFile.init(reading:)))
    }

    /// Trains with the ConvNet part first set from `initial` (a weights file already read,
    /// such as the one a ranking method passes to its pre-training). With `target` `.hog`
    /// (a ranking method's `pretrain.target`) the head regresses HOG descriptors instead of
    /// classifying (`HOGRegressionTraining`): as wide as the descriptor, with no categories needed.
    func train(_ context: MethodContext, startingFrom initial: WeightsFile?,
               target: PretrainingTarget = .categories) throws {
        let started = Date()
        let descriptors = target == .hog ? try HOGTargets.matrix(context) : nil
        let classes = descriptors?.dimension ?? context.dataset.categoryNames.count
        guard classes >= 2 else {
            throw MethodError.invalidSetting(method: name, key: "dataset", reason: "a classifier needs two or more categories")
        }
        let model = ClassifierNetwork(config: network, classes: classes, streams: context.streams)
        if let initial {
            let loaded = try InitialWeights.load(initial, intoClassifier: model.store)
            context.log("\(name): initialised \(loaded.count) ConvNet parameters from \(initial.source.path)")
        }
        let loop = TrainingLoop(name: name, schedule: schedule, context: context)
        if let descriptors {
            context.log("\(name): regressing the \(descriptors.dimension)-value HOG descriptors of \(descriptors.rows) images")
            var task = HOGRegressionTraining(model: model, targets: descriptors, batchSize: schedule.batchSize,
                                             context: context)
            try loop.run(&task, history: &history, started: started, validate: nil)
        } else {
            var task = ClassifierTraining(model: model, batchSize: schedule.batchSize, context: context)
            // `keep_best` scores the penultimate features, the row the comparisons use.
            let validate = { [network] (validation: ValidationTriplets) throws -> Double in
                try NetworkEmbedding.validationPrecision(validation, context: context, inputSize: network.inputSize,
                                                         channels: network.inputChannels) { x, _ in
                    _ = model.forward(x, training: false)
                    return model.penultimate
                }
            }
            try loop.run(&task, history: &history, started: started, validate: validate)
        }
        self.model = model
    }

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
