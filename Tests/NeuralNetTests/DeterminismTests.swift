import NeuralNet
import TensorKit
import XCTest

/// README, "Determinism": the same seed gives the same bits, with 1 or 2 threads.
final class DeterminismTests: XCTestCase {
    override func tearDown() { Parallel.configure(threads: 1) }

    /// A small multi-scale network with dropout, trained for a few steps on 13 triplets
    /// (39 images: more images than reduction chunks, and not a multiple of the row blocks).
    func train(threads: Int, seed: UInt64 = 5, steps: Int = 3) -> (weights: [UInt32], embeddings: [UInt32], losses: [Float]) {
        Parallel.configure(threads: threads)
        var config = MultiScaleConfig.tiny
        config.dropoutKeep = 0.6
        let streams = RandomStreams(seed: seed)
        let network = MultiScaleNetwork(config: config, streams: streams)
        let optimizer = SGD(store: network.store, learningRate: 0.05, momentum: 0.9, weightDecay: 0.001, nesterov: true)
        let loss = TripletHingeLoss(margin: 0.2)
        let x = Tensor(zeros: [39, 3, 16, 16])
        var data = streams.stream("data")
        for i in 0..<x.count { x[flat: i] = data.nextUniformFloat() }
        var losses: [Float] = []
        for _ in 0..<steps {
            network.store.zeroGradients()
            let (value, gradient) = loss(embeddings: network.forward(x, training: true))
            losses.append(value)
            network.backward(gradient)
            optimizer.step()
        }
        let embeddings = network.forward(x, training: false).array.map(\.bitPattern)
        return (network.store.values.array.map(\.bitPattern), embeddings, losses)
    }

    func testSameSeedSameBits() {
        let a = train(threads: 1), b = train(threads: 1)
        XCTAssertEqual(a.weights, b.weights)
        XCTAssertEqual(a.embeddings, b.embeddings)
        XCTAssertNotEqual(train(threads: 1, seed: 6).weights, a.weights, "a different seed must change the run")
    }

    func testOneAndTwoThreadsGiveIdenticalBits() {
        let one = train(threads: 1), two = train(threads: 2), three = train(threads: 3)
        XCTAssertGreaterThan(one.losses[0], 0)
        XCTAssertEqual(one.weights, two.weights)
        XCTAssertEqual(one.embeddings, two.embeddings)
        XCTAssertEqual(one.losses.map(\.bitPattern), two.losses.map(\.bitPattern))
        XCTAssertEqual(one.weights, three.weights)
    }

    /// No workspace is reallocated once the first step has sized it: every layer hands back
    /// the same output buffer, step after step.
    func testTrainingStepsReuseTheirBuffers() {
        let network = MultiScaleNetwork(config: .tiny, streams: RandomStreams(seed: 1))
        let loss = TripletHingeLoss(margin: 0.2)
        let x = GradientCheck.random([6, 3, 16, 16], seed: 2, name: "x")
        var outputs: [UnsafeMutablePointer<Float>] = []
        for step in 0..<3 {
            network.store.zeroGradients()
            let e = network.forward(x, training: true)
            let (_, g) = loss(embeddings: e)
            network.backward(g)
            var h = x
            var pointers: [UnsafeMutablePointer<Float>] = [e.pointer, g.pointer]
            for layer in network.deep.layers {
                h = layer.forward(h, training: true)
                pointers.append(h.pointer)
            }
            if step == 0 { outputs = pointers } else { XCTAssertEqual(pointers, outputs, "step \(step)") }
        }
    }
}
