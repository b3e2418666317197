import Foundation
import NeuralNet
import TensorKit

/// Figures of one benchmark run; the JSON keys are shared with
/// `Tests/Reference/bench_torch.py` so the two can be compared key by key.
public struct BenchmarkFigures: Codable {
    public var reference: String
    public var threads: Int
    /// Trainable parameters of the network.
    public var parameters: Int
    public var trainImagesPerSecond: Double
    public var inferImagesPerSecond: Double
    public var gflops: Double
    /// Convolutions' forward+backward rate counting 3x forward FLOPs per layer (the
    /// convention `bench_torch.py` uses, so the two are comparable).
    public var convGflops: Double
    /// The same time with the FLOPs actually executed: layers that need no input gradient
    /// (the first of each path) do 2x forward FLOPs, not 3x.
    public var convExecutedGflops: Double
    /// Executed conv FLOP/s over the sgemm peak: the median over paired rounds, each
    /// measuring the peak and then the convolutions (`EngineBenchmark.pairedRounds`), so a
    /// busy neighbour slows both sides of a ratio rather than one.
    public var convFractionOfPeak: Double
    /// The lowest and highest per-round fraction.
    public var convFractionRange: [Double]?
    /// The convolutions' GEMMs alone (`ConvGemmCeiling`) as a fraction of the sgemm peak:
    /// the most im2col + sgemm could reach on these shapes.
    public var convGemmFractionOfPeak: Double?
    public var sgemmPeakGflops: Double
    /// Peak resident memory while the network trained and ran: the process's high-water
    /// mark read right after the inference timing, before the per-layer convolution
    /// timings, whose inputs, gradients and copies of each layer are not the network's.
    public var peakRssMiB: Double
    /// Peak resident memory of the whole benchmark, those per-layer timings included.
    public var processPeakRssMiB: Double?
    public var trainStepMsMedian: Double
    public var inferBatchMsMedian: Double
    public var trainFlopsPerImage: Double
    /// Resident memory growth over the timed training steps (0 when nothing grows per step).
    public var rssGrowthMiB: Double?
    /// Per convolution: name, shape summary and forward+backward GFLOP/s (ours only).
    public var convBreakdown: [ConvLayerFigure]?

    enum CodingKeys: String, CodingKey {
        case reference, threads, parameters
        case trainImagesPerSecond = "train_images_per_s"
        case inferImagesPerSecond = "infer_images_per_s"
        case gflops
        case convGflops = "conv_gflops"
        case convExecutedGflops = "conv_executed_gflops"
        case convFractionOfPeak = "conv_fraction_of_sgemm_peak"
        case convFractionRange = "conv_fraction_of_sgemm_peak_range"
        case convGemmFractionOfPeak = "conv_gemm_only_fraction_of_sgemm_peak"
        case sgemmPeakGflops = "sgemm_peak_gflops"
        case peakRssMiB = "peak_rss_mib"
        case processPeakRssMiB = "process_peak_rss_mib"
        case trainStepMsMedian = "train_step_ms_median"
        case inferBatchMsMedian = "infer_batch_ms_median"
        case trainFlopsPerImage = "train_flops_per_image"
        case rssGrowthMiB = "rss_growth_mib"
        case convBreakdown = "conv_breakdown"
    }
}

/// Forward+backward speed of one convolution of the benchmark network.
public struct ConvLayerFigure: Codable {
    public var name: String
    public var shape: String
    public var milliseconds: Double
    public var gflops: Double
    /// The layer's GEMMs alone (`ConvGemmCeiling`), GFLOP/s.
    public var gemmOnlyGflops: Double?
    /// How the layer ran (`direct` or `im2col`), and for a direct layer the rate of
    /// im2col + sgemm on it, GFLOP/s (the same bits, measured in the same run).
    public var algorithm: String?
    public var im2colGflops: Double?
    /// For a direct layer: im2col + sgemm's time over the direct kernels', the median over
    /// pairs of runs made back to back.
    public var directSpeedup: Double?

    enum CodingKeys: String, CodingKey {
        case name, shape, milliseconds, gflops, algorithm
        case gemmOnlyGflops = "gemm_only_gflops"
        case im2colGflops = "im2col_gflops"
        case directSpeedup = "direct_speedup_over_im2col"
    }
}

/// Trains and runs a multi-scale network (`config`; by default the reference network,
/// `MultiScaleConfig.reference`) on fixed random data and measures throughput: a full
/// training step is forward, triplet loss, backward and SGD on `triplets` triplets
/// (3 x `triplets` images).
public struct EngineBenchmark {
    /// Triplets per training step unless set (`deeprank bench engine --batch-triplets`).
    public static let defaultTriplets = 32

    public var config: MultiScaleConfig = .reference
    public var triplets = Self.defaultTriplets
    public var threads = 2
    public var steps = 20
    public var warmup = 3
    /// Side of the square matrices the sgemm peak is measured on.
    public var peakMatrixSize = 2048
    /// How every convolution computes (`.im2col` measures the engine without the direct kernels).
    public var convAlgorithm: ConvAlgorithm = .automatic
    public var margin: Float = 0.2

    /// The update of `Tests/Reference/bench_torch.py`, `torch.optim.SGD(lr=0.01, momentum=0.9,
    /// weight_decay=0.001)` (plain momentum), so both sides time the same arithmetic. These are
    /// not training defaults (those are `TrainingSchedule`'s, in a module this one does not
    /// depend on): a step costs the same at any rate, and the weights it leaves are never read.
    public static let learningRate: Float = 0.01
    public static let momentum: Float = 0.9
    public static let weightDecay: Float = 0.001

    public init() {}

    /// The network on fixed random data, and one full training step on it
    /// (zero gradients, forward, triplet loss, backward, SGD).
    func trainingSetup() -> (network: MultiScaleNetwork, input: Tensor, step: () -> Void) {
        let streams = RandomStreams(seed: 1)
        let network = MultiScaleNetwork(config: config, streams: streams)
        for part in [network.deep] + network.shallow {
            for case let conv as Conv2D in part.layers { conv.algorithm = convAlgorithm }
        }
        let x = Tensor(zeros: [3 * triplets, config.inputChannels, config.inputSize, config.inputSize])
        var data = streams.stream("bench/input")
        for i in 0..<x.count { x[flat: i] = data.nextUniformFloat() }
        let loss = TripletHingeLoss(margin: margin)
        let optimizer = SGD(store: network.store, learningRate: Self.learningRate, momentum: Self.momentum,
                            weightDecay: Self.weightDecay)
        return (network, x, {
            network.store.zeroGradients()
            let (_, gradient) = loss(embeddings: network.forward(x, training: true))
            network.backward(gradient)
            optimizer.step()
        })
    }

    /// Training images per second only (median step time), for the data benchmark's ratio.
    public func trainingRate() -> Double {
        Parallel.configure(threads: threads)
        let (_, x, step) = trainingSetup()
        return Double(x.shape[0]) / Stopwatch.median(Stopwatch.time(warmup: warmup, repeats: steps, step))
    }

    /// Rounds of (sgemm peak, convolutions) measured back to back for the conv fraction.
    public static let pairedRounds = 7

    public func run() -> BenchmarkFigures {
        Parallel.configure(threads: threads)
        let (network, x, trainStep) = trainingSetup()
        let images = x.shape[0]
        for _ in 0..<warmup { trainStep() }
        let rssBefore = Stopwatch.currentResidentMiB()
        let trainTimes = Stopwatch.time(warmup: 0, repeats: steps, trainStep)
        let rssAfter = Stopwatch.currentResidentMiB()
        let inferTimes = Stopwatch.time(warmup: warmup, repeats: steps) {
            _ = network.forward(x, training: false)
        }
        let networkPeakRss = Stopwatch.peakResidentMiB()
        let convolutions = convCases(images: images)
        let executedFlops = convolutions.reduce(0) { $0 + $1.flops }
        Self.runForwardBackward(convolutions)
        // Each round: the peak, then the convolutions (median of 3 each); the fraction is
        // the median of the rounds' ratios.
        var rounds: [(peak: Double, seconds: Double)] = []
        for _ in 0..<Self.pairedRounds {
            let peak = SgemmPeak.measure(threads: threads, n: peakMatrixSize, repeats: 3)
            let seconds = Stopwatch.median(Stopwatch.time(warmup: 0, repeats: 3) { Self.runForwardBackward(convolutions) })
            rounds.append((peak, seconds))
        }
        let fractions = rounds.map { executedFlops / $0.seconds / 1e9 / $0.peak }
        let convTime = Stopwatch.median(rounds.map(\.seconds))
        let peak = Stopwatch.median(rounds.map(\.peak))
        let (breakdown, gemmSeconds) = convBreakdown(convolutions, images: images)

        let stepSeconds = Stopwatch.median(trainTimes)
        let inferBatch = Stopwatch.median(inferTimes)
        let trainFlops = 3 * config.forwardFlopsPerImage
        let trainRate = Double(images) / stepSeconds
        return BenchmarkFigures(
            reference: "DeepRank (OpenBLAS \(BLAS.coreType), im2col + sgemm\(DirectConvolution.isAvailable && convAlgorithm == .automatic ? "; direct kernels where they give the same bits" : ""))",
            threads: threads,
            parameters: network.store.count,
            trainImagesPerSecond: trainRate,
            inferImagesPerSecond: Double(images) / inferBatch,
            gflops: trainFlops * trainRate / 1e9,
            convGflops: 3 * config.convFlopsPerImage * Double(images) / convTime / 1e9,
            convExecutedGflops: executedFlops / convTime / 1e9,
            convFractionOfPeak: Stopwatch.median(fractions),
            convFractionRange: [fractions.min()!, fractions.max()!],
            convGemmFractionOfPeak: executedFlops / gemmSeconds / 1e9 / peak,
            sgemmPeakGflops: peak,
            peakRssMiB: networkPeakRss,
            processPeakRssMiB: Stopwatch.peakResidentMiB(),
            trainStepMsMedian: stepSeconds * 1000,
            inferBatchMsMedian: inferBatch * 1000,
            trainFlopsPerImage: trainFlops,
            rssGrowthMiB: max(0, rssAfter - rssBefore),
            convBreakdown: breakdown)
    }

    /// One convolution of the network on its real input shape, with an output gradient.
    struct ConvCase {
        let conv: Conv2D
        let x: Tensor
        let dy: Tensor
        /// Executed FLOPs: forward and weight gradient, plus the input gradient if needed.
        let flops: Double
    }

    /// The network's convolutions alone, on their real input shapes (the first layer of
    /// each path skips its input gradient, as in training).
    func convCases(images: Int) -> [ConvCase] {
        let streams = RandomStreams(seed: 2)
        var cases: [ConvCase] = []
        var size = config.inputSize, channels = config.layerInputChannels
        func add(_ stage: ConvStage, inChannels: Int, size: Int, name: String, first: Bool) {
            let conv = Conv2D(name: name, inChannels: inChannels, outChannels: stage.channels,
                              kernelSize: stage.kernel, stride: stage.stride, padding: stage.padding, streams: streams)
            conv.computesInputGradient = !first
            conv.algorithm = convAlgorithm
            let x = Tensor(zeros: [images, inChannels, size, size])
            var s = streams.stream("bench/\(name)")
            for i in 0..<x.count { x[flat: i] = s.nextUniformFloat() }
            let y = conv.forward(x, training: true)
            let dy = Tensor(zeros: y.shape)
            for i in 0..<dy.count { dy[flat: i] = s.nextUniform(-1, 1) }
            let flops = (first ? 2 : 3) * 2 * Double(y.count * inChannels * stage.kernel * stage.kernel)
            cases.append(ConvCase(conv: conv, x: x, dy: dy, flops: flops))
        }
        for (i, stage) in config.deepStages.enumerated() {
            add(stage, inChannels: channels, size: size, name: "deep.conv\(i + 1)", first: i == 0)
            size = MultiScaleConfig.outputSize(of: stage, input: size); channels = stage.channels
        }
        for (i, part) in config.shallowParts.enumerated() {
            add(part.stage, inChannels: config.layerInputChannels, size: config.inputSize / part.subsample,
                name: "shallow\(i).conv", first: true)
        }
        return cases
    }

    /// Which direct kernels a layer takes on this input, in words ("" for none).
    static func kernelNames(_ conv: Conv2D, _ g: ConvGeometry) -> String {
        if conv.usesDirectKernels(g) { return "direct" }
        return [conv.usesChannelForward(g) ? "channel-lane forward" : nil,
                conv.usesDirectWeightGradient(g)
                    ? DirectConvolution.weightGradientByImages(g, outChannels: conv.outChannels)
                        ? "direct weight gradient by images" : "direct weight gradient"
                    : nil]
            .compactMap { $0 }.joined(separator: " + ")
    }

    static func runForwardBackward(_ cases: [ConvCase]) {
        for c in cases {
            _ = c.conv.forward(c.x, training: true)
            c.conv.backward(c.dy)
        }
    }

    /// Per layer: forward + backward alone, im2col + sgemm on it where it runs the direct
    /// kernels, and its GEMMs alone (`gemmSeconds`: the sum of the layers' median GEMM times).
    func convBreakdown(_ cases: [ConvCase], images: Int) -> (layers: [ConvLayerFigure], gemmSeconds: Double) {
        let repeats = max(5, steps)
        var gemmSeconds = 0.0
        func layerSeconds(_ c: ConvCase) -> Double {
            Stopwatch.median(Stopwatch.time(warmup: 1, repeats: repeats) { Self.runForwardBackward([c]) })
        }
        let layers = cases.map { c -> ConvLayerFigure in
            let g = c.conv.geometry(c.x)
            let kernels = Self.kernelNames(c.conv, g)
            let direct = !kernels.isEmpty
            let t: Double
            var im2colGflops: Double?, speedup: Double?
            if !direct {
                t = layerSeconds(c)
            } else {
                // Pairs: the direct kernels, then im2col + sgemm, back to back.
                var pairs: [(direct: Double, im2col: Double)] = []
                for _ in 0..<repeats {
                    c.conv.algorithm = .automatic
                    let d = Stopwatch.time(warmup: 0, repeats: 1) { Self.runForwardBackward([c]) }[0]
                    c.conv.algorithm = .im2col
                    let i = Stopwatch.time(warmup: pairs.isEmpty ? 1 : 0, repeats: 1) { Self.runForwardBackward([c]) }[0]
                    pairs.append((d, i))
                }
                c.conv.algorithm = .automatic
                t = Stopwatch.median(pairs.map(\.direct))
                im2colGflops = c.flops / Stopwatch.median(pairs.map(\.im2col)) / 1e9
                speedup = Stopwatch.median(pairs.map { $0.im2col / $0.direct })
            }
            let gemms = ConvGemmCeiling(outChannels: c.conv.outChannels, patchSize: g.patchSize, outPixels: g.outPixels,
                                        images: images, inputGradient: c.conv.computesInputGradient)
            let gemmTime = gemms.seconds(repeats: repeats)
            gemmSeconds += gemmTime
            let shape = "\(c.x.shape[1])->\(c.conv.outChannels) k\(c.conv.kernelSize) on \(c.x.shape[2])x\(c.x.shape[3])"
            return ConvLayerFigure(name: c.conv.weight.name.replacingOccurrences(of: ".weight", with: ""),
                                   shape: shape, milliseconds: t * 1000, gflops: c.flops / t / 1e9,
                                   gemmOnlyGflops: gemms.flops / gemmTime / 1e9,
                                   algorithm: direct ? kernels : "im2col", im2colGflops: im2colGflops,
                                   directSpeedup: speedup)
        }
        return (layers, gemmSeconds)
    }
}
