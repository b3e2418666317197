import DatasetKit
import Experiments
import Features
import Methods
import NeuralNet
import TensorKit
import XCTest

/// The network's `orientation_channels`: the layer's values against HOG's cell histograms
/// (our `HOG` matches scikit-image's, `HOGParityTests`), the network and spec key around it,
/// and training with it: the same bits with 1 or 2 threads and when continued from any
/// checkpoint, including its classifier pre-training.
final class OrientationChannelsTests: XCTestCase {
    override func tearDown() {
        Parallel.configure(threads: 1)
        super.tearDown()
    }

    /// Element (n, c, y, x) of a `[N, C, H, W]` tensor.
    static func at(_ t: Tensor, _ n: Int, _ c: Int, _ y: Int, _ x: Int) -> Float {
        t[flat: ((n * t.shape[1] + c) * t.shape[2] + y) * t.shape[3] + x]
    }

    /// A random image with some smooth structure, so that every orientation bin gets votes.
    static func image(channels: Int, size: Int, seed: UInt64) -> PlanarImage {
        var stream = RandomStream(seed: seed, name: "orientation-image")
        var pixels: [Float] = []
        for c in 0..<channels {
            for y in 0..<size {
                for x in 0..<size {
                    let wave = 0.5 + 0.3 * sin(Float(x * (c + 1) + 2 * y) / 3)
                    pixels.append(wave + stream.nextUniform(-0.2, 0.2))
                }
            }
        }
        return PlanarImage(channels: channels, height: size, width: size, pixels: pixels)
    }

    /// Pooled over k x k (what a shallow part's subsampling does) and L1-normalised per cell,
    /// the orientation channels are HOG with k x k cells, 1 x 1 blocks and the L1 norm, for
    /// several bin counts, cell sizes and gray or RGB input.
    func testPooledChannelsAreHOGsCellHistograms() throws {
        for (channels, bins, cell, size) in [(3, 9, 2, 16), (1, 6, 4, 16), (3, 12, 4, 20), (3, 4, 8, 32)] {
            let image = Self.image(channels: channels, size: size, seed: UInt64(bins))
            let layer = OrientationChannels(bins: bins)
            let x = Tensor(shape: [1, channels, size, size], values: image.pixels)
            let y = layer.forward(x, training: true)
            XCTAssertEqual(y.shape, [1, channels + bins, size, size])
            XCTAssertEqual(Array(y.array.prefix(channels * size * size)), image.pixels, "the input channels come first, unchanged")
            let pooled = AvgPool2D(kernelSize: cell).forward(y, training: false)
            let cells = size / cell
            let hog = try HOG(orientations: bins, pixelsPerCell: [cell, cell], cellsPerBlock: [1, 1], blockNorm: .l1)
            let reference = try hog.features(of: image)
            XCTAssertEqual(reference.count, cells * cells * bins)
            var worst: Float = 0
            for cy in 0..<cells {
                for cx in 0..<cells {
                    let votes = (0..<bins).map { Self.at(pooled, 0, channels + $0, cy, cx) }
                    let total = votes.reduce(0, +)
                    for b in 0..<bins {
                        let ours = votes[b] / (total + 1e-5)
                        worst = max(worst, abs(ours - reference[(cy * cells + cx) * bins + b]))
                    }
                }
            }
            XCTAssertLessThanOrEqual(worst, 1e-5, "\(channels) channel(s), \(bins) bins, \(cell)-pixel cells")
            // The pooled sums are the cells' total gradient magnitude: none is zero here.
            XCTAssertGreaterThan(pooled.array.suffix(bins * cells * cells).reduce(0, +), 0)
        }
    }

    /// A vertical step edge votes its central difference (1) into the 0-degree bin at the
    /// two columns beside it, a horizontal one into the 90-degree bin at the two rows beside
    /// it; every other vote is 0. (Only the gradient across the border is zeroed: a
    /// vertical edge still votes on the first and last rows.)
    func testAStepEdgeVotesItsMagnitudeIntoItsBin() {
        let size = 6
        var vertical = [Float](repeating: 0, count: size * size), horizontal = vertical
        for y in 0..<size { for x in 3..<size { vertical[y * size + x] = 1 } }
        for y in 3..<size { for x in 0..<size { horizontal[y * size + x] = 1 } }
        let y = OrientationChannels(bins: 4).forward(Tensor(shape: [2, 1, size, size], values: vertical + horizontal),
                                                     training: false)
        for row in 0..<size {
            for col in 0..<size {
                for b in 0..<4 {
                    XCTAssertEqual(Self.at(y, 0, 1 + b, row, col), b == 0 && (col == 2 || col == 3) ? 1 : 0, "vertical, bin \(b) (\(row), \(col))")
                    XCTAssertEqual(Self.at(y, 1, 1 + b, row, col), b == 2 && (row == 2 || row == 3) ? 1 : 0, "horizontal, bin \(b) (\(row), \(col))")
                }
            }
        }
    }

    /// The network with orientation channels: its first conv layers read C + bins channels,
    /// and the classifier pre-training shares them.
    func testTheNetworkReadsTheAppendedChannels() throws {
        var config = TrainingLoopTests.network
        config.orientationChannels = 5
        XCTAssertEqual(config.layerInputChannels, 8)
        let network = MultiScaleNetwork(config: config, streams: RandomStreams(seed: 1))
        let weights = Dictionary(uniqueKeysWithValues: network.store.parameters.map { ($0.name, $0.value.shape) })
        XCTAssertEqual(weights["deep.conv1.weight"]?[1], 8)
        XCTAssertEqual(weights["shallow_a.conv.weight"]?[1], 8)
        XCTAssertEqual(weights["shallow_b.conv.weight"]?[1], 8)
        let classifier = ClassifierNetwork(config: config, classes: 3, streams: RandomStreams(seed: 1))
        XCTAssertEqual(classifier.store.parameters.first { $0.name == "deep.conv1.weight" }?.value.shape[1], 8)
        let x = Tensor(shape: [2, 3, 32, 32], values: Self.image(channels: 3, size: 32, seed: 1).pixels
            + Self.image(channels: 3, size: 32, seed: 2).pixels)
        let out = network.forward(x, training: false)
        XCTAssertEqual(out.shape, [2, config.outputDimension])
        XCTAssertTrue(out.array.allSatisfy(\.isFinite))
    }

    func testTheSpecKeyParsesDefaultsToNoneAndIsChecked() throws {
        func spec(_ network: String) -> String {
            """
            experiment: orientation
            seeds: [1]
            dataset: {kind: synthetic}
            input: {size: 32}
            methods:
              - {name: deep, type: deep-ranking, network: \(network), steps: 2}
            """
        }
        func network(_ text: String) throws -> MultiScaleConfig {
            let parsed = try SpecParser.parse(text: spec(text), path: "orientation.yaml")
            guard case .deepRanking(let settings) = parsed.methods[0].kind else {
                XCTFail("not deep ranking: \(parsed.methods[0].kind)")
                return .reference
            }
            return settings.network
        }
        XCTAssertEqual(try network("{preset: reference, input_size: 32}").orientationChannels, 0)
        XCTAssertEqual(try network("{preset: reference, input_size: 32, orientation_channels: 9}").orientationChannels, 9)
        XCTAssertThrowsError(try network("{preset: reference, input_size: 32, orientation_channels: -1}")) {
            XCTAssertTrue("\($0)".contains("orientation_channels"), "\($0)")
        }
    }

    /// Ranking with classifier pre-training, on orientation channels: the same bits with 1
    /// or 2 threads, and when continued from any checkpoint.
    func testTrainingIsBitIdenticalAcrossThreadsAndResumes() throws {
        func ranking() -> DeepRankingMethod {
            var config = TrainingLoopTests.network
            config.orientationChannels = 4
            return DeepRankingMethod(name: "deep", network: config,
                                     schedule: TrainingSchedule(steps: 4, batchSize: 3, learningRate: 0.01),
                                     margin: 0.2, sampler: .paper(TripletSamplingParameters()),
                                     pretraining: TrainingSchedule(steps: 3, batchSize: 4))
        }
        Parallel.configure(threads: 1)
        let one = ranking()
        let states = try TrainingLoopTests.train(one)
        Parallel.configure(threads: 2)
        let two = ranking()
        try TrainingLoopTests.train(two)
        XCTAssertEqual(one.learnedArrays, two.learnedArrays)
        XCTAssertEqual(one.history, two.history)
        XCTAssertGreaterThan(states.count, 4)
        for state in states {
            let resumed = ranking()
            try TrainingLoopTests.train(resumed, resume: state)
            XCTAssertEqual(resumed.learnedArrays, one.learnedArrays, "continued after \(state.loop) step \(state.step)")
        }
    }
}
