import NeuralNet
import TensorKit
import XCTest

final class ClassifierNetworkTests: XCTestCase {
    func testClassifierHeadGradientsByFiniteDifferences() {
        let network = ClassifierNetwork(config: .tiny, classes: 3, streams: RandomStreams(seed: 40))
        let x = GradientCheck.random([5, 3, 16, 16], seed: 41, name: "x")
        let labels = [0, 2, 1, 1, 0]
        let loss = SoftmaxCrossEntropy()
        network.store.zeroGradients()
        let (_, g) = loss(logits: network.forward(x, training: true), labels: labels)
        network.backward(g)
        for p in network.store.parameters where !p.name.hasPrefix("deep.conv") {
            let result = GradientCheck.compare(p.value, analytic: p.grad.array, h: 1e-3, atol: 2e-4, rtol: 1e-2,
                                               maxCoordinates: 60, skipKinks: true, label: p.name) {
                Double(loss(logits: network.forward(x, training: true), labels: labels).loss)
            }
            XCTAssertGreaterThan(result.checked, 4 * result.skipped, p.name)
        }
    }

    func testLearnsToSeparateTwoClassesAndInitialisesARankingNetwork() {
        let streams = RandomStreams(seed: 42)
        let network = ClassifierNetwork(config: .tiny, classes: 2, streams: streams)
        // Class 0: bright left half; class 1: bright right half; plus noise.
        let x = Tensor(zeros: [16, 3, 16, 16])
        var noise = streams.stream("noise")
        var labels: [Int] = []
        for n in 0..<16 {
            let label = n % 2
            labels.append(label)
            for c in 0..<3 { for y in 0..<16 { for xx in 0..<16 {
                let bright = (xx < 8) == (label == 0)
                x[flat: ((n * 3 + c) * 16 + y) * 16 + xx] = (bright ? 0.8 : 0.2) + 0.1 * noise.nextUniform(-1, 1)
            } } }
        }
        let loss = SoftmaxCrossEntropy()
        let sgd = SGD(store: network.store, learningRate: 0.1, momentum: 0.9)
        var first: Float = 0, last: Float = 0
        for step in 0..<100 {
            network.store.zeroGradients()
            let (value, g) = loss(logits: network.forward(x, training: true), labels: labels)
            if step == 0 { first = value }
            last = value
            network.backward(g)
            sgd.step()
        }
        XCTAssertLessThan(last, 0.5 * first, "cross-entropy should fall: \(first) -> \(last)")
        let logits = network.forward(x, training: false)
        var correct = 0
        for n in 0..<16 where (logits[flat: 2 * n + 1] > logits[flat: 2 * n]) == (labels[n] == 1) { correct += 1 }
        XCTAssertEqual(correct, 16)
        XCTAssertEqual(network.penultimate.shape, [16, MultiScaleConfig.tiny.deepFeatures])

        let ranking = MultiScaleNetwork(config: .tiny, streams: streams.child("ranking"))
        let copied = network.copyParameters(to: ranking.store)
        XCTAssertEqual(copied.sorted(), ["deep.conv1.bias", "deep.conv1.weight", "deep.conv2.bias", "deep.conv2.weight",
                                         "deep.conv3.bias", "deep.conv3.weight", "deep.fc.bias", "deep.fc.weight"])
        XCTAssertEqual(ranking.store["deep.fc.weight"]!.value.array, network.store["deep.fc.weight"]!.value.array)
    }
}
