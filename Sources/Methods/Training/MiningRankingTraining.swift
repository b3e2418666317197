import DatasetKit
import NeuralNet
import RunFile
import TensorKit

/// Deep ranking's step with online hard mining (`HardMining`) for `TrainingLoop`. The
/// batch `[3B + P*K, C, S, S]`: with a mix f > 0, B = `batchSize` triplets from the
/// sampler laid out as `RankingTraining` lays them out (queries, positives, negatives),
/// else none; then P concept groups of K images (`ConceptGroups`, stream `mining/groups`).
/// One forward pass in training mode embeds everything; the triplets are mined from the
/// group rows' embeddings, and the loss is `f * L_sampled + (1 - f) * L_mined`
/// (`IndexedTripletHinge`). Records `active_fraction` (active over all the step's
/// triplets; 0 when there are none) and `mined_triplets`. Saves the dropout and mining
/// streams and, with a mix, the sampler's state.
struct MiningRankingTraining: TrainingTask {
    let model: MultiScaleNetwork
    let mining: HardMining
    let groups: ConceptGroups
    /// The paper's sampler, only with a mix f > 0.
    var sampler: (any TripletSampler)?
    /// Sampled triplets per step (B; 0 without a mix).
    let sampledTriplets: Int
    let margin: Float
    let batch: TrainingBatch
    var groupStream: RandomStream
    /// The gradient with respect to the network's output, `[3B + P*K, outputDimension]`
    /// (the embedding, or the ConvNet part's features for a single-scale network), reused.
    let gradient: Tensor
    /// The group of each group image of the current batch.
    private(set) var labels: [Int] = []

    init(model: MultiScaleNetwork, mining: HardMining, groups: ConceptGroups, sampler: (any TripletSampler)?,
         batchSize: Int, margin: Float, context: MethodContext) {
        self.model = model; self.mining = mining; self.groups = groups; self.sampler = sampler; self.margin = margin
        sampledTriplets = sampler == nil ? 0 : batchSize
        let images = 3 * sampledTriplets + mining.groupImages
        batch = TrainingBatch(images: images, network: model.config, context: context)
        groupStream = context.streams.stream(.mining)
        gradient = Tensor(zeros: [images, model.config.outputDimension])
    }

    var store: ParameterStore { model.store }
    var imagesPerStep: Int { 3 * sampledTriplets + mining.groupImages }
    static let lossName = "loss"
    static let extraSeries: [HistorySeries] = [.activeFraction, .minedTriplets]

    mutating func drawBatch(step: Int) throws {
        var indices: [Int] = []
        if sampler != nil {
            let drawn = try sampler!.batch(sampledTriplets)
            indices = drawn.map(\.query) + drawn.map(\.positive) + drawn.map(\.negative)
        }
        let (images, labels) = groups.draw(groups: mining.groups, perGroup: mining.perGroup, stream: &groupStream)
        self.labels = labels
        try batch.fill(indices + images, step: step)
    }

    func forward() throws -> StepLoss {
        let e = model.forward(batch.tensor, training: true)
        let d = e.shape[1], first = 3 * sampledTriplets
        let rows = Array(UnsafeBufferPointer(start: e.pointer + first * d, count: mining.groupImages * d))
        let mined = try mining.triplets(embeddings: rows, dimension: d, labels: labels, margin: margin).map {
            Triplet(query: first + $0.query, positive: first + $0.positive, negative: first + $0.negative)
        }
        let b = sampledTriplets
        let sampled = (0..<b).map { Triplet(query: $0, positive: b + $0, negative: 2 * b + $0) }
        let f = sampler == nil ? 0 : mining.mix
        gradient.zero()
        let fromSampler = IndexedTripletHinge.accumulate(embeddings: e, triplets: sampled, margin: margin, weight: f,
                                                         into: gradient)
        let fromMining = IndexedTripletHinge.accumulate(embeddings: e, triplets: mined, margin: margin, weight: 1 - f,
                                                        into: gradient)
        let count = sampled.count + mined.count
        let active = count == 0 ? 0 : Float(fromSampler.active + fromMining.active) / Float(count)
        return StepLoss(value: fromSampler.loss + fromMining.loss, gradient: gradient,
                        extras: [active, Float(mined.count)])
    }

    func backward(_ gradient: Tensor) { model.backward(gradient) }

    var streams: [StreamName: RandomStream] { [.dropout: model.dropoutStream, .mining: groupStream] }
    var samplerState: TripletSamplerState? { sampler?.state }

    mutating func restore(from state: TrainingState) throws {
        model.dropoutStream = try state.stream(.dropout)
        groupStream = try state.stream(.mining)
        guard sampler != nil else { return }
        guard let samplerState = state.sampler else {
            throw MethodError.badCheckpoint(method: state.loop, reason: "no sampler state")
        }
        try sampler!.restore(samplerState)
    }
}
