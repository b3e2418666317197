import NeuralNet
import TensorKit
import XCTest

/// Every layer, loss and the tiny multi-scale network against PyTorch 2.x (float64
/// reference stored as float32): forward values and gradients of `sum(y * dy)`.
final class TorchParityTests: XCTestCase {
    var fixture: TorchFixture!

    override func setUpWithError() throws { fixture = try TorchFixture() }

    func runLayer(_ layer: Layer, case name: String, atol: Float = 1e-5, rtol: Float = 1e-4) throws {
        let g = "layers/\(name)"
        let x = try fixture.tensor("\(g)/x")
        let y = layer.forward(x, training: true)
        TorchFixture.assertClose(y, try fixture.tensor("\(g)/y"), atol: atol, rtol: rtol, "\(name) y")
        for p in layer.parameters { p.grad.zero() }
        let dx = layer.backward(try fixture.tensor("\(g)/dy"))!
        TorchFixture.assertClose(dx, try fixture.tensor("\(g)/dx"), atol: atol, rtol: rtol, "\(name) dx")
        for p in layer.parameters {
            let suffix = p.name.hasSuffix(".weight") ? "dweight" : "dbias"
            TorchFixture.assertClose(p.grad, try fixture.tensor("\(g)/\(suffix)"), atol: atol, rtol: rtol, "\(name) \(suffix)")
        }
    }

    func testConvolutions() throws {
        for name in ["conv_k3_s1_p1", "conv_k5_s2_p2", "conv_k3_s2_p0", "conv_k8_s4_p0"] {
            let g = "layers/\(name)"
            let conv = Conv2D(name: "conv", weight: try fixture.tensor("\(g)/weight"), bias: try fixture.tensor("\(g)/bias"),
                              stride: try fixture.int(g, "stride"), padding: try fixture.int(g, "padding"))
            try runLayer(conv, case: name)
        }
    }

    func testPooling() throws {
        for name in ["maxpool_k2_s2", "maxpool_k3_s2", "maxpool_k3_s2_p1"] {
            let g = "layers/\(name)"
            try runLayer(MaxPool2D(kernelSize: try fixture.int(g, "kernel"), stride: try fixture.int(g, "stride"),
                                   padding: try fixture.int(g, "padding")), case: name)
        }
        for name in ["avgpool_k4_s4", "avgpool_k8_s8"] {
            let g = "layers/\(name)"
            try runLayer(AvgPool2D(kernelSize: try fixture.int(g, "kernel"), stride: try fixture.int(g, "stride")), case: name)
        }
    }

    func testReLUAndLinear() throws {
        try runLayer(ReLU(), case: "relu")
        let linear = Linear(name: "fc", weight: try fixture.tensor("layers/linear/weight"),
                            bias: try fixture.tensor("layers/linear/bias"))
        try runLayer(linear, case: "linear")
    }

    func testLocalResponseNorm() throws {
        for name in ["lrn_alexnet", "lrn_strong"] {
            let g = "layers/\(name)"
            let lrn = LocalResponseNorm(size: try fixture.int(g, "size"), alpha: Float(try fixture.double(g, "alpha")),
                                        beta: Float(try fixture.double(g, "beta")), k: Float(try fixture.double(g, "k")))
            try runLayer(lrn, case: name)
        }
    }

    func testL2NormalizeAndConcat() throws {
        try runLayer(L2Normalize(), case: "l2norm")
        let concat = ChannelConcat()
        let y = concat.forward([try fixture.tensor("layers/concat/a"), try fixture.tensor("layers/concat/b")])
        TorchFixture.assertClose(y, try fixture.tensor("layers/concat/y"), "concat y")
        let grads = concat.backward(try fixture.tensor("layers/concat/dy"))
        TorchFixture.assertClose(grads[0], try fixture.tensor("layers/concat/da"), "concat da")
        TorchFixture.assertClose(grads[1], try fixture.tensor("layers/concat/db"), "concat db")
    }

    func testLosses() throws {
        let (labels, _) = try fixture.file.root.read(Int64.self, from: "layers/softmax_ce/labels")
        let ce = SoftmaxCrossEntropy()
        let (loss, g) = ce(logits: try fixture.tensor("layers/softmax_ce/logits"), labels: labels.map { Int($0) })
        XCTAssertEqual(loss, try fixture.scalar("layers/softmax_ce/loss"), accuracy: 1e-5)
        TorchFixture.assertClose(g, try fixture.tensor("layers/softmax_ce/dlogits"), "softmax-ce dlogits")

        let triplet = TripletHingeLoss(margin: Float(try fixture.double("layers/triplet", "margin")))
        let (tl, tg) = triplet(embeddings: try fixture.tensor("layers/triplet/embeddings"))
        XCTAssertEqual(tl, try fixture.scalar("layers/triplet/loss"), accuracy: 1e-5)
        XCTAssertEqual(triplet.activeCount, try fixture.int("layers/triplet", "active_count"))
        TorchFixture.assertClose(tg, try fixture.tensor("layers/triplet/dembeddings"), "triplet dembeddings")

        let squared = SquaredError()
        let (sl, sg) = squared(outputs: try fixture.tensor("layers/squared_error/outputs"),
                               targets: try fixture.tensor("layers/squared_error/targets").array)
        XCTAssertEqual(sl, try fixture.scalar("layers/squared_error/loss"), accuracy: 1e-5)
        TorchFixture.assertClose(sg, try fixture.tensor("layers/squared_error/doutputs"), "squared-error doutputs")
    }

    /// The tiny multi-scale network with the fixture's weights.
    func loadNetwork() throws -> MultiScaleNetwork {
        let network = MultiScaleNetwork(config: .tiny, streams: RandomStreams(seed: 0))
        for p in network.store.parameters {
            p.value.copy(from: try fixture.tensor("multiscale/params/\(p.name)"))
        }
        return network
    }

    func testMultiScaleForwardAndGradients() throws {
        let network = try loadNetwork()
        XCTAssertEqual(network.store.parameters.map(\.name).sorted(),
                       try fixture.file.root.group("multiscale/params").childNames())
        let x = try fixture.tensor("multiscale/x")
        let embeddings = network.forward(x, training: true)
        TorchFixture.assertClose(embeddings, try fixture.tensor("multiscale/embeddings"), "multiscale embeddings")
        let loss = TripletHingeLoss(margin: 0.2)
        let (value, g) = loss(embeddings: embeddings)
        XCTAssertEqual(value, try fixture.scalar("multiscale/loss"), accuracy: 1e-5)
        network.store.zeroGradients()
        network.backward(g)
        for p in network.store.parameters {
            TorchFixture.assertClose(p.grad, try fixture.tensor("multiscale/grads/\(p.name)"), atol: 1e-5, rtol: 1e-3,
                                     "multiscale grad \(p.name)")
        }
    }

    func testSGDStepsMatchTorchOptim() throws {
        for variant in ["sgd_momentum", "sgd_nesterov"] {
            let g = "multiscale/\(variant)"
            let network = try loadNetwork()
            let optimizer = SGD(store: network.store, learningRate: Float(try fixture.double(g, "lr")),
                                momentum: Float(try fixture.double(g, "momentum")),
                                weightDecay: Float(try fixture.double(g, "weight_decay")),
                                nesterov: try fixture.int(g, "nesterov") == 1)
            let x = try fixture.tensor("multiscale/x")
            let loss = TripletHingeLoss(margin: 0.2)
            let expectedLosses = try fixture.tensor("\(g)/losses")
            for step in 0..<(try fixture.int(g, "steps")) {
                network.store.zeroGradients()
                let (value, gradient) = loss(embeddings: network.forward(x, training: true))
                XCTAssertEqual(value, expectedLosses[flat: step], accuracy: 1e-4, "\(variant) loss at step \(step)")
                network.backward(gradient)
                optimizer.step()
            }
            for p in network.store.parameters {
                TorchFixture.assertClose(p.value, try fixture.tensor("\(g)/params_after/\(p.name)"), atol: 2e-5, rtol: 1e-4,
                                         "\(variant) \(p.name)")
            }
        }
    }
}
