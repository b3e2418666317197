import DatasetKit
import Evaluation
import Foundation
import NeuralNet
import RunFile
import TensorKit

/// Deep ranking (the paper, Sec. 4 "Network architecture" and its triplet sampling
/// section): the multi-scale network, or with no shallow parts the single-scale ConvNet,
/// trained by `TrainingLoop` with the triplet hinge loss on triplets from the paper's
/// samplers (`RankingTraining`); images are compared by squared Euclidean distance between
/// their unit-norm embeddings, the paper's D.
///
/// Optionally the network, or its ConvNet part, starts from a weights file
/// (`InitialWeights`, e.g. exported from PyTorch).
///
/// Optionally the ConvNet part is first pre-trained as a classifier on the training
/// categories, or on every image of a labelled data set of its own that shares no picture
/// with the run's (`pretrainingData`; the paper pre-trains on ImageNet), and copied in by
/// parameter name; its curve is kept as `pretrain_loss`. Or (beyond the paper,
/// `pretrainingTarget` `.hog`) it first learns to regress each image's HOG descriptor,
/// on the same images and with no labels (`HOGRegressionTraining`); with
/// `pretrainingScope` `.network` the whole network does, through a head on its embedding
/// (`EmbeddingRegressor`), and every parameter is copied in.
///
/// Optionally (beyond the paper) the triplets are mined online from batches of concept
/// groups (`HardMining`, `MiningRankingTraining`), alone or mixed with the sampler's.
///
/// Streams (under the method's family): `init/<parameter>`, `dropout/deep.fc`, the
/// sampler's (`sampler/paper`, ...), `augment/<step>/<slot>` (child `augment`),
/// `mining/groups` (only with hard mining), the pre-training classifier's under child
/// `pretrain`, and the pre-training data set's (a synthetic one draws from them) under child
/// `pretrain-data`.
public final class DeepRankingMethod: SimilarityMethod {
    public let name: String
    public let network: MultiScaleConfig
    public let schedule: TrainingSchedule
    public let margin: Float
    public let sampler: SamplerChoice
    /// Classifier pre-training of the ConvNet part (nil: none).
    public let pretraining: TrainingSchedule?
    /// Online hard mining (nil: the sampler's triplets only, the paper's training).
    public let mining: HardMining?
    /// The file the network (or its ConvNet part) starts from, before any pre-training
    /// (`network.init_from`; nil: the initialiser's draws).
    public let initialWeights: WeightsSource?
    /// Opens the data set pre-training learns, from the streams given (nil: the run's
    /// training split).
    public let pretrainingData: ((RandomStreams) throws -> any ImageDataset)?
    /// `pretrain.concept_relevance`: pre-training learns the training split's concept groups
    /// at this relevance (`ConceptGroups`) as its classes instead of the categories (nil:
    /// the categories). Not with `pretrainingData`.
    public let pretrainingConceptRelevance: Float?
    /// `pretrain.target`: what pre-training learns (`.categories`, the paper's; or `.hog`).
    /// `.hog` is not with `pretrainingConceptRelevance`, which chooses classes.
    public let pretrainingTarget: PretrainingTarget
    /// `pretrain.scope`: which parts pre-training trains (`.convnet`, the paper's; or
    /// `.network`, only with `pretrainingTarget` `.hog`).
    public let pretrainingScope: PretrainingScope

    public private(set) var model: MultiScaleNetwork?
    public private(set) var history: [String: [Float]] = [:]

    public init(name: String, network: MultiScaleConfig, schedule: TrainingSchedule, margin: Float,
                sampler: SamplerChoice, pretraining: TrainingSchedule? = nil, mining: HardMining? = nil,
                initialWeights: WeightsSource? = nil,
                pretrainingData: ((RandomStreams) throws -> any ImageDataset)? = nil,
                pretrainingConceptRelevance: Float? = nil, pretrainingTarget: PretrainingTarget = .categories,
                pretrainingScope: PretrainingScope = .convnet) {
        precondition(pretrainingData == nil || pretrainingConceptRelevance == nil,
                     "pre-training learns another data set or the split's concepts, not both")
        precondition(pretrainingTarget == .categories || pretrainingConceptRelevance == nil,
                     "concept classes are a classifier's target, not HOG regression's")
        precondition(pretrainingScope == .convnet || pretrainingTarget == .hog,
                     "the whole network pre-trains on HOG targets only")
        self.name = name; self.network = network; self.schedule = schedule; self.margin = margin
        self.sampler = sampler; self.pretraining = pretraining; self.mining = mining
        self.initialWeights = initialWeights; self.pretrainingData = pretrainingData
        self.pretrainingConceptRelevance = pretrainingConceptRelevance
        self.pretrainingTarget = pretrainingTarget
        self.pretrainingScope = pretrainingScope
    }

    public var isTrained: Bool { model != nil }

    public func train(_ context: MethodContext) throws {
        let started = Date()
        let model = MultiScaleNetwork(config: network, streams: context.streams)
        let loop = TrainingLoop(name: name, schedule: schedule, context: context)
        // Read once: the ranking network and its pre-training classifier both start from it.
        let initial = loop.resumed == nil ? try initialWeights.map(WeightsFile.init(reading:)) : nil
        if let initial {
            let loaded = try InitialWeights.load(initial, intoRanking: model.store)
            context.log("\(name): initialised \(loaded.count) parameters from \(initial.source.path)")
        }
        if loop.resumed == nil, let pretraining {
            let pretrainContext = try pretrainingContext(context)
            let curves: [String: [Float]]
            switch pretrainingScope {
            case .convnet:
                curves = try pretrainConvNet(pretraining, context: pretrainContext, startingFrom: initial, into: model)
            case .network:
                curves = try pretrainWholeNetwork(pretraining, context: pretrainContext, startingFrom: initial,
                                                  into: model)
            }
            history[.pretrainLoss] = curves[.loss]
            history[.pretrainGradientNorm] = curves[.gradientNorm]
        }
        let table = try RelevanceTable(dataset: context.dataset, subset: context.split.train)
        if let mining {
            try trainWithMining(mining, model: model, table: table, loop: loop, context: context, started: started)
        } else {
            var task = RankingTraining(model: model, sampler: try sampler.make(table: table, streams: context.streams),
                                       batchSize: schedule.batchSize, margin: margin, context: context)
            try loop.run(&task, history: &history, started: started, validate: validator(model, context))
        }
        self.model = model
    }

    /// `pretrain.scope: convnet`: the ConvNet part with a head (`ClassifierMethod`: a
    /// classifier, or a HOG regressor with `pretrainingTarget` `.hog`) learns `context`'s
    /// training images; its ConvNet parameters then set `model`'s. Returns its curves.
    private func pretrainConvNet(_ schedule: TrainingSchedule, context: MethodContext, startingFrom initial: WeightsFile?,
                                 into model: MultiScaleNetwork) throws -> [String: [Float]] {
        let classifier = ClassifierMethod(name: name + ".pretrain", network: network, schedule: schedule,
                                          initialWeights: initialWeights)
        try classifier.train(context, startingFrom: initial, target: pretrainingTarget)
        let copied = classifier.model!.copyParameters(to: model.store)
        let source = pretrainingTarget == .hog ? "the network pre-trained on HOG targets" : "the pre-trained classifier"
        context.log("\(name): initialised \(copied.count) ConvNet parameters from \(source)")
        return classifier.history
    }

    /// `pretrain.scope: network`: the whole network, started as the ranking network would
    /// be (from `initial`, or the pre-training streams' draws), with a head on its embedding
    /// regresses the HOG targets of `context`'s training images; every parameter of it then
    /// sets `model`'s. Returns the pre-training's curves.
    private func pretrainWholeNetwork(_ schedule: TrainingSchedule, context: MethodContext, startingFrom initial: WeightsFile?,
                                      into model: MultiScaleNetwork) throws -> [String: [Float]] {
        let started = Date()
        let pretrainName = name + ".pretrain"
        let descriptors = try HOGTargets.matrix(context)
        let regressor = EmbeddingRegressor(config: network, outputs: descriptors.dimension, streams: context.streams)
        if let initial {
            let loaded = try InitialWeights.load(initial, intoRanking: regressor.network.store)
            context.log("\(pretrainName): initialised \(loaded.count) parameters from \(initial.source.path)")
        }
        context.log("\(pretrainName): the whole network regressing the \(descriptors.dimension)-value HOG descriptors "
                    + "of \(descriptors.rows) images")
        var task = HOGRegressionTraining(model: regressor, targets: descriptors, batchSize: schedule.batchSize,
                                         context: context)
        var curves: [String: [Float]] = [:]
        try TrainingLoop(name: pretrainName, schedule: schedule, context: context)
            .run(&task, history: &curves, started: started, validate: nil)
        let copied = regressor.store.copyValues(to: model.store)
        context.log("\(name): initialised \(copied.count) parameters from the whole network pre-trained on HOG targets")
        return curves
    }

    /// What the pre-training classifier sees: the run's context under the stream family
    /// `pretrain`; with `pretrainingConceptRelevance` the training split's concept groups as
    /// its classes (`ConceptLabelledDataset`); or with `pretrainingData` that data set. The
    /// last two are all training and no validation. Throws `MethodError.invalidSetting`
    /// when the other data set shares a picture with the run's (`ImageDataset.origin(of:)`),
    /// since it might be one the evaluation asks about.
    private func pretrainingContext(_ context: MethodContext) throws -> MethodContext {
        let streams = context.streams.child("pretrain")
        if let threshold = pretrainingConceptRelevance {
            let table = try RelevanceTable(dataset: context.dataset, subset: context.split.train)
            let concepts = ConceptLabelledDataset(base: context.dataset,
                                                  groups: try ConceptGroups(table: table, conceptRelevance: threshold))
            context.log("\(name): pre-training on \(concepts.count) training images in \(concepts.categoryNames.count) "
                        + "concepts (relevance >= \(threshold))")
            return context.allTraining(concepts, streams: streams)
        }
        guard let pretrainingData else { return context.with(streams: streams) }
        let dataset = try pretrainingData(context.streams.child("pretrain-data"))
        let runOrigins = Set((0..<context.dataset.count).map(context.dataset.origin(of:)))
        let shared = (0..<dataset.count).map(dataset.origin(of:)).filter(runOrigins.contains)
        if let first = shared.first {
            throw MethodError.invalidSetting(
                method: name, key: "pretrain.dataset",
                reason: "the pre-training data set shares \(shared.count) picture(s) with the run's data set "
                    + "(first: \(first)); pre-train on pictures the evaluation cannot ask about")
        }
        context.log("\(name): pre-training on \(dataset.count) \(dataset.kind) images in \(dataset.categoryNames.count) categories")
        return context.allTraining(dataset, streams: streams)
    }

    /// Training with hard mining: the concept groups of the training split (enough for
    /// `mining.groups` per batch) and, with a mix, the sampler.
    private func trainWithMining(_ mining: HardMining, model: MultiScaleNetwork, table: RelevanceTable,
                                 loop: TrainingLoop, context: MethodContext, started: Date) throws {
        let groups = try ConceptGroups(table: table, conceptRelevance: mining.conceptRelevance)
        guard mining.groups <= groups.groups.count else {
            throw MethodError.invalidSetting(
                method: name, key: "mining.groups",
                reason: "\(mining.groups) groups per batch, but the training split has \(groups.groups.count) concept "
                    + "groups of two or more images")
        }
        let sampled = mining.mix > 0 ? try sampler.make(table: table, streams: context.streams) : nil
        var task = MiningRankingTraining(model: model, mining: mining, groups: groups, sampler: sampled,
                                         batchSize: schedule.batchSize, margin: margin, context: context)
        try loop.run(&task, history: &history, started: started, validate: validator(model, context))
    }

    /// `keep_best`'s score: the embeddings' similarity precision on the validation triplets.
    private func validator(_ model: MultiScaleNetwork, _ context: MethodContext) -> (ValidationTriplets) throws -> Double {
        { [network] validation in
            try NetworkEmbedding.validationPrecision(validation, context: context, inputSize: network.inputSize,
                                                     channels: network.inputChannels) { x, _ in
                model.forward(x, training: false)
            }
        }
    }

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

extension MethodContext {
    /// This context on `dataset`, every image of it for training, under `streams`, with no
    /// validation: what pre-training on a data set other than the run's sees.
    fileprivate func allTraining(_ dataset: any ImageDataset, streams: RandomStreams) -> MethodContext {
        MethodContext(dataset: dataset, split: DatasetSplit(train: Array(0..<dataset.count), test: []),
                      streams: streams, augmentation: augmentation, log: log,
                      progress: progress, checkpoints: checkpoints, validation: nil)
    }
}
