import NeuralNet
import TensorKit
import XCTest

/// Finite-difference checks of every layer's and loss's backward pass.
final class GradientCheckTests: XCTestCase {
    let streams = RandomStreams(seed: 11)

    func testConvolutionGradients() {
        for (k, s, p) in [(3, 1, 1), (5, 2, 2), (3, 2, 0), (1, 1, 0), (4, 3, 1)] {
            let conv = Conv2D(name: "c", inChannels: 3, outChannels: 4, kernelSize: k, stride: s, padding: p,
                              streams: streams)
            let x = GradientCheck.random([2, 3, 7, 7], seed: 1, name: "x\(k)\(s)\(p)")
            GradientCheck.check(conv, input: x, label: "conv k\(k) s\(s) p\(p)")
        }
    }

    func testMaxPoolGradients() {
        for (k, s, p) in [(2, 2, 0), (3, 2, 0), (3, 2, 1)] {
            // Distinct values well apart so that +-h never changes which element is largest.
            let x = Tensor(zeros: [2, 2, 7, 7])
            var order = Array(0..<x.count)
            var rng = RandomStream(seed: 3, name: "perm")
            rng.shuffle(&order)
            for i in 0..<x.count { x[flat: i] = Float(order[i]) * 0.05 }
            GradientCheck.check(MaxPool2D(kernelSize: k, stride: s, padding: p), input: x, label: "maxpool k\(k) s\(s) p\(p)")
        }
    }

    func testAveragePoolGradients() {
        let x = GradientCheck.random([2, 3, 16, 16], seed: 2, name: "x")
        GradientCheck.check(AvgPool2D(kernelSize: 4), input: x, label: "avgpool 4")
        GradientCheck.check(AvgPool2D(kernelSize: 8), input: x, label: "avgpool 8")
        GradientCheck.check(AvgPool2D(kernelSize: 3, stride: 2), input: x, label: "avgpool 3/2")
    }

    func testReLUGradients() {
        let x = GradientCheck.random([2, 3, 5, 5], seed: 4, name: "x")
        for i in 0..<x.count where abs(x[flat: i]) < 0.05 { x[flat: i] = 0.1 }
        GradientCheck.check(ReLU(), input: x, label: "relu")
    }

    func testLocalResponseNormGradients() {
        let x = GradientCheck.random([2, 7, 3, 3], seed: 5, name: "x", scale: 2)
        GradientCheck.check(LocalResponseNorm(size: 3, alpha: 0.5, beta: 0.75, k: 1), input: x, h: 5e-3, label: "lrn strong")
        GradientCheck.check(LocalResponseNorm(size: 5, alpha: 1e-2, beta: 0.75, k: 2), input: x, h: 5e-3, label: "lrn alexnet")
        GradientCheck.check(LocalResponseNorm(size: 4, alpha: 0.3, beta: 0.5, k: 1), input: x, h: 5e-3, label: "lrn even size")
    }

    func testLinearGradients() {
        let layer = Linear(name: "fc", inFeatures: 37, outFeatures: 40, streams: streams)
        GradientCheck.check(layer, input: GradientCheck.random([19, 37], seed: 6, name: "x"), label: "linear")
        // A 4-d input is read as [N, C*H*W].
        let flat = Linear(name: "fc2", inFeatures: 12, outFeatures: 3, streams: streams)
        GradientCheck.check(flat, input: GradientCheck.random([2, 3, 2, 2], seed: 6, name: "x4"), label: "linear 4d")
    }

    func testDropoutGradientUsesTheForwardMask() {
        let layer = Dropout(keep: 0.6, stream: streams.stream("dropout/test"))
        let x = GradientCheck.random([8, 50], seed: 8, name: "x")
        let start = layer.stream
        let y = layer.forward(x, training: true).clone()
        let r = GradientCheck.random(y.shape, seed: 9, name: "r")
        let dx = layer.backward(r)!
        var zeros = 0
        for i in 0..<x.count {
            let m = y[flat: i] / x[flat: i]
            if y[flat: i] == 0 { zeros += 1; XCTAssertEqual(dx[flat: i], 0) } else {
                XCTAssertEqual(m, 1 / 0.6, accuracy: 1e-5)
                XCTAssertEqual(dx[flat: i], r[flat: i] / 0.6, accuracy: 1e-5)
            }
        }
        // 400 draws at p(drop) = 0.4: expect 160, allow 4 standard deviations (~39).
        XCTAssertEqual(Double(zeros), 160, accuracy: 40)
        // Finite differences with the mask held fixed: rewind the stream before each forward.
        let loss = { () -> Double in
            layer.stream = start
            return GradientCheck.objective(layer.forward(x, training: true), r)
        }
        GradientCheck.compare(x, analytic: dx.array, label: "dropout dx", loss: loss)
        XCTAssertTrue(layer.forward(x, training: false) === x, "dropout is the identity at inference")
    }

    func testL2NormalizeGradients() {
        GradientCheck.check(L2Normalize(), input: GradientCheck.random([5, 9], seed: 10, name: "x"), h: 1e-3,
                            label: "l2norm")
    }

    func testChannelConcatGradients() {
        let concat = ChannelConcat()
        let a = GradientCheck.random([2, 3, 2, 2], seed: 12, name: "a")
        let b = GradientCheck.random([2, 5, 2, 2], seed: 12, name: "b")
        let y = concat.forward([a, b])
        XCTAssertEqual(y.shape, [2, 8, 2, 2])
        let r = GradientCheck.random(y.shape, seed: 13, name: "r")
        let grads = concat.backward(r).map(\.array)
        let loss = { GradientCheck.objective(concat.forward([a, b]), r) }
        GradientCheck.compare(a, analytic: grads[0], label: "concat da", loss: loss)
        GradientCheck.compare(b, analytic: grads[1], label: "concat db", loss: loss)
        // Vectors of different widths concatenate to [N, D1 + D2].
        XCTAssertEqual(concat.forward([Tensor(zeros: [3, 4]), Tensor(zeros: [3, 2, 2, 2])]).shape, [3, 12])
    }

    func testFlattenIsAViewAndPassesGradientsThrough() {
        let x = GradientCheck.random([2, 3, 4, 4], seed: 14, name: "x")
        let layer = Flatten()
        let y = layer.forward(x, training: true)
        XCTAssertEqual(y.shape, [2, 48])
        XCTAssertEqual(y.pointer, x.pointer)
        let dy = GradientCheck.random([2, 48], seed: 15, name: "dy")
        let dx = layer.backward(dy)!
        XCTAssertEqual(dx.shape, [2, 3, 4, 4])
        XCTAssertEqual(dx.array, dy.array)
    }

    func testSoftmaxCrossEntropyGradients() {
        let loss = SoftmaxCrossEntropy()
        let logits = GradientCheck.random([6, 5], seed: 16, name: "z", scale: 3)
        let labels = [0, 4, 2, 2, 1, 3]
        let (_, g) = loss(logits: logits, labels: labels)
        let analytic = g.array
        GradientCheck.compare(logits, analytic: analytic, h: 1e-3, label: "softmax-ce") {
            Double(loss(logits: logits, labels: labels).loss)
        }
    }

    func testSquaredErrorGradients() {
        let loss = SquaredError()
        let outputs = GradientCheck.random([4, 6], seed: 18, name: "y")
        let targets = GradientCheck.random([4, 6], seed: 19, name: "t").array
        let (_, g) = loss(outputs: outputs, targets: targets)
        GradientCheck.compare(outputs, analytic: g.array, h: 1e-3, label: "squared-error") {
            Double(loss(outputs: outputs, targets: targets).loss)
        }
    }

    func testTripletHingeLossGradients() {
        let loss = TripletHingeLoss(margin: 0.2)
        let e = GradientCheck.random([12, 6], seed: 17, name: "e")
        let (value, g) = loss(embeddings: e)
        XCTAssertGreaterThan(loss.activeCount, 0)
        XCTAssertLessThan(loss.activeCount, 4, "the check should cover inactive triplets too")
        XCTAssertGreaterThan(value, 0)
        GradientCheck.compare(e, analytic: g.array, h: 1e-3, label: "triplet") {
            Double(loss(embeddings: e).loss)
        }
    }

    /// The whole network, by finite differences on every parameter except the deep
    /// convolutions; a coordinate whose step crosses a kink is skipped (at most 10% may
    /// be). Perturbing a deep conv weight moves thousands of pre-activations
    /// behind three ReLU + max-pool stages at once; measured on this network, the central
    /// differences of those coordinates converge to the analytic value only as h -> 1e-4,
    /// where float32 rounding of the loss takes over (about 15% of them stay off by more
    /// than 2% at any h). Those gradients are checked per layer above, and the whole
    /// network, every coordinate, against PyTorch in `TorchParityTests`.
    func testMultiScaleNetworkGradients() {
        let network = MultiScaleNetwork(config: .tiny, streams: streams)
        let x = GradientCheck.random([6, 3, 16, 16], seed: 18, name: "x")
        let loss = TripletHingeLoss(margin: 0.5)
        network.store.zeroGradients()
        let (_, g) = loss(embeddings: network.forward(x, training: true))
        XCTAssertGreaterThan(loss.activeCount, 0)
        network.backward(g)
        var checked = 0, skipped = 0
        for p in network.store.parameters where !p.name.hasPrefix("deep.conv") {
            let result = GradientCheck.compare(p.value, analytic: p.grad.array, h: 1e-3, atol: 2e-4, rtol: 1e-2,
                                               maxCoordinates: 60, skipKinks: true, label: "multiscale \(p.name)") {
                Double(loss(embeddings: network.forward(x, training: true)).loss)
            }
            checked += result.checked
            skipped += result.skipped
        }
        XCTAssertGreaterThan(checked, 9 * skipped, "\(skipped) coordinates on kinks, \(checked) checked")
    }

    /// The whole network with a regression head on its embedding before the final
    /// normalisation (`pretrain.scope: network`), multi- and single-scale, by finite
    /// differences on the head, the embedding, the shallow parts and the fc layer (the deep
    /// convolutions as in `testMultiScaleNetworkGradients`).
    func testEmbeddingRegressorGradients() {
        var single = MultiScaleConfig.tiny
        single.shallowParts = []
        for config in [MultiScaleConfig.tiny, single] {
            let regressor = EmbeddingRegressor(config: config, outputs: 5, streams: streams)
            let x = GradientCheck.random([4, 3, 16, 16], seed: 21, name: "x")
            let targets = GradientCheck.random([4, 5], seed: 22, name: "t").array
            let loss = SquaredError()
            regressor.store.zeroGradients()
            let (_, g) = loss(outputs: regressor.forward(x, training: true), targets: targets)
            regressor.backward(g)
            var checked = 0, skipped = 0
            for p in regressor.store.parameters where !p.name.hasPrefix("deep.conv") {
                let result = GradientCheck.compare(p.value, analytic: p.grad.array, h: 1e-3, atol: 2e-4, rtol: 1e-2,
                                                   maxCoordinates: 60, skipKinks: true,
                                                   label: "regressor \(config.shallowParts.count) \(p.name)") {
                    Double(loss(outputs: regressor.forward(x, training: true), targets: targets).loss)
                }
                checked += result.checked
                skipped += result.skipped
            }
            XCTAssertGreaterThan(checked, 9 * skipped, "\(skipped) coordinates on kinks, \(checked) checked")
        }
    }
}

final class LossNaNTests: XCTestCase {
    /// Non-finite embeddings give a NaN loss, so training can stop on them.
    func testTripletLossPropagatesNaN() {
        let e = Tensor(shape: [3, 2], values: [.nan, 0, 1, 0, 0, 1])
        XCTAssertTrue(TripletHingeLoss(margin: 0.2)(embeddings: e).loss.isNaN)
    }
}
