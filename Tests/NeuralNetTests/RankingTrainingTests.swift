import NeuralNet
import TensorKit
import XCTest

/// End to end: the multi-scale network trained with the triplet loss learns to put
/// images with the same pattern closer than images with another pattern.
final class RankingTrainingTests: XCTestCase {
    func testTripletLossFallsAndTheRankingIsLearned() {
        let streams = RandomStreams(seed: 50)
        let network = MultiScaleNetwork(config: .tiny, streams: streams)
        var noise = streams.stream("noise")
        // 8 triplets: query and positive share a stripe orientation, the negative has the other.
        let b = 8
        let x = Tensor(zeros: [3 * b, 3, 16, 16])
        func draw(_ slot: Int, horizontal: Bool) {
            for c in 0..<3 { for y in 0..<16 { for xx in 0..<16 {
                let stripe = ((horizontal ? y : xx) / 2) % 2 == 0
                // Zero-mean inputs, as after the per-channel normalisation of the data pipeline.
                x[flat: ((slot * 3 + c) * 16 + y) * 16 + xx] = (stripe ? 0.3 : -0.3) + 0.15 * noise.nextUniform(-1, 1)
            } } }
        }
        for i in 0..<b {
            let horizontal = i % 2 == 0
            draw(i, horizontal: horizontal)
            draw(b + i, horizontal: horizontal)
            draw(2 * b + i, horizontal: !horizontal)
        }
        let loss = TripletHingeLoss(margin: 0.2)
        let sgd = SGD(store: network.store, learningRate: 0.05, momentum: 0.9, weightDecay: 0.001)
        var first: Float = 0, last: Float = 0
        for step in 0..<60 {
            network.store.zeroGradients()
            let (value, g) = loss(embeddings: network.forward(x, training: true))
            if step == 0 { first = value }
            last = value
            network.backward(g)
            sgd.step()
        }
        XCTAssertGreaterThan(first, 0.05)
        XCTAssertLessThan(last, 0.25 * first, "triplet loss should fall: \(first) -> \(last)")
        _ = loss(embeddings: network.forward(x, training: false))
        XCTAssertEqual(loss.activeCount, 0, "every training triplet ranked with the margin")
    }
}
