import NeuralNet
import TensorKit
import XCTest

/// The same code runs the paper-sized network: 225x225 input, AlexNet-like ConvNet part,
/// shallow parts giving equal 4x4x96 grids, 4096-d embedding.
final class PaperSizedNetworkTests: XCTestCase {
    func testShapesAndOneTrainingStep() {
        let config = MultiScaleConfig.paperSized
        XCTAssertEqual(config.deepFlattened, 256 * 5 * 5)
        XCTAssertEqual(config.shallowWidths, [96 * 4 * 4, 96 * 4 * 4])
        let network = MultiScaleNetwork(config: config, streams: RandomStreams(seed: 60))
        XCTAssertGreaterThan(network.store.count, 50_000_000)
        let x = GradientCheck.random([3, 3, 225, 225], seed: 61, name: "x")
        let e = network.forward(x, training: true)
        XCTAssertEqual(e.shape, [3, 4096])
        for r in 0..<3 {
            var norm: Float = 0
            for j in 0..<4096 { norm += e[flat: r * 4096 + j] * e[flat: r * 4096 + j] }
            XCTAssertEqual(norm, 1, accuracy: 1e-4)
        }
        let loss = TripletHingeLoss(margin: 1)
        let (value, g) = loss(embeddings: e)
        XCTAssertGreaterThan(value, 0)
        network.store.zeroGradients()
        network.backward(g)
        let conv1 = network.store["deep.conv1.weight"]!
        XCTAssertTrue(conv1.grad.array.contains { $0 != 0 }, "gradient reaches the first layer")
        XCTAssertTrue(network.store["shallow_b.conv.weight"]!.grad.array.contains { $0 != 0 })
    }
}
