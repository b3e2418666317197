import DatasetKit
import Experiments
import Features
import Methods
import NeuralNet
import XCTest

/// Good specs: the checked-in default comparison builds the plan the comparison had when it
/// was built in code, and defaults are applied where keys are left out.
final class SpecParserTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let defaultComparison = repository.appendingPathComponent("Experiments/default-comparison.yaml").path

    func testDefaultComparisonSpecBuildsTheBuiltInPlan() throws {
        let spec = try SpecParser.load(path: Self.defaultComparison)
        XCTAssertEqual(spec.experiment, "default-comparison")
        XCTAssertEqual(spec.seeds, [1, 2, 3])
        let plan = try spec.plan(seed: 1)
        let reference = try Self.builtInComparison(seed: 1)
        XCTAssertEqual(plan.name, reference.name)
        XCTAssertEqual(plan.seed, reference.seed)
        XCTAssertEqual(plan.dataset, reference.dataset)
        XCTAssertEqual(plan.testFraction, reference.testFraction)
        XCTAssertEqual(plan.evaluation, reference.evaluation)
        XCTAssertEqual(plan.augmentation, reference.augmentation)
        XCTAssertEqual(plan.metrics, reference.metrics)
        XCTAssertEqual(plan.methods.map(\.name), reference.methods.map(\.name))
        for (mine, theirs) in zip(plan.methods, reference.methods) {
            switch (mine, theirs) {
            case (let a as DeepRankingMethod, let b as DeepRankingMethod):
                XCTAssertEqual(a.network, b.network, a.name)
                XCTAssertEqual(a.schedule, b.schedule, a.name)
                XCTAssertEqual(a.margin, b.margin, a.name)
                XCTAssertEqual(a.sampler, b.sampler, a.name)
                XCTAssertEqual(a.pretraining, b.pretraining, a.name)
            case (let a as ClassifierMethod, let b as ClassifierMethod):
                XCTAssertEqual(a.network, b.network, a.name)
                XCTAssertEqual(a.schedule, b.schedule, a.name)
            case (let a as HandcraftedMethod, let b as HandcraftedMethod):
                XCTAssertEqual(a.feature.extractor.name, b.feature.extractor.name, a.name)
                XCTAssertEqual(a.feature.distance, b.feature.distance, a.name)
            case (let a as GoldenMethod, let b as GoldenMethod):
                XCTAssertEqual(a.components.map(\.extractor.name), b.components.map(\.extractor.name))
                XCTAssertEqual(a.components.map(\.distance), b.components.map(\.distance))
                XCTAssertEqual(a.learning, b.learning)
                XCTAssertEqual(a.trainingTriplets, b.trainingTriplets)
                XCTAssertEqual(a.sampler, b.sampler)
            case (let a as OASISMethod, let b as OASISMethod):
                XCTAssertEqual(a.base.name, b.base.name, a.name)
                XCTAssertEqual(a.parameters, b.parameters, a.name)
                XCTAssertEqual(a.sampler, b.sampler, a.name)
                // The base is the very object listed earlier, so the runner trains it once.
                XCTAssertTrue(plan.methods.contains { $0 === a.base }, a.name)
            default:
                XCTFail("\(mine.name): \(type(of: mine)) where the built-in plan has \(type(of: theirs))")
            }
        }
    }

    /// The comparison as it was built in code before `default-comparison.yaml` replaced it,
    /// every setting spelled out: multi-scale and single-scale deep ranking, the classifier
    /// baseline, the four hand-crafted features, their golden combination, and OASIS on HOG
    /// and on the single-scale embeddings, on the default synthetic data at CPU size.
    static func builtInComparison(seed: UInt64) throws -> ExperimentPlan {
        let sampler = SamplerChoice.paper(TripletSamplingParameters(relevanceCap: 0.9, relevanceMargin: 0.2,
                                                                    outOfClassFraction: 0.2, maxTries: 20))
        let network = MultiScaleConfig.reference
        var singleScaleNetwork = network
        singleScaleNetwork.shallowParts = []
        let ranking = TrainingSchedule(steps: 600, batchSize: 32, learningRate: 0.05, momentum: 0.9, nesterov: true,
                                       weightDecay: 0.001, decayFactor: 0.1)
        var classifier = ranking
        classifier.steps = 400; classifier.batchSize = 96
        var pretraining = classifier
        pretraining.steps = 200
        let singleScale = DeepRankingMethod(name: "single-scale-ranking", network: singleScaleNetwork, schedule: ranking,
                                            margin: 0.2, sampler: sampler, pretraining: pretraining)
        let distances: [(String, FeatureDistance)] = [("color-histogram", .chiSquare), ("wavelet", .l2), ("hog", .l2),
                                                      ("lbp", .chiSquare)]
        let hand = try distances.map { HandCraftedFeature(try FeatureCatalog.extractor(named: $0.0), distance: $0.1) }
        let oasis = try OASISParameters(steps: 20_000, aggressiveness: 0.1, symmetrizeEvery: 0, reportEvery: 1000)
        var methods: [any SimilarityMethod] = zip(distances, hand).map { HandcraftedMethod(name: $0.0, feature: $1) }
        methods += [
            GoldenMethod(name: "golden", components: hand,
                         learning: try GoldenWeightLearning(regularization: 1e-3, steps: 4000, batchSize: 32),
                         trainingTriplets: 4000, sampler: sampler),
            OASISMethod(name: "oasis-hog", base: HandcraftedMethod(name: "hog", feature: hand[2]), parameters: oasis,
                        sampler: sampler),
            ClassifierMethod(name: "classifier", network: network, schedule: classifier),
            singleScale,
            OASISMethod(name: "oasis-single-scale", base: singleScale, parameters: oasis, sampler: sampler),
            DeepRankingMethod(name: "deep-ranking", network: network, schedule: ranking, margin: 0.2, sampler: sampler,
                              pretraining: pretraining),
        ]
        let augmentation = try Augmentation(
            resize: Resize(height: 64, width: 64, mode: .automatic), maxShift: 4, shiftFill: .replicate, flip: false,
            normalization: ChannelNormalization(mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25]))
        return ExperimentPlan(name: "default-comparison", seed: seed, dataset: .synthetic(SyntheticConfig()),
                              testFraction: 0.25,
                              evaluation: EvaluationTripletParameters(count: 2_000, relevanceGap: 0.25, outOfClassShare: 0),
                              augmentation: augmentation, methods: methods,
                              metrics: MetricSettings(topK: 30, recallAt: [1, 5, 10], gridQueries: 6, gridNeighbours: 8))
    }

    func testDefaultsAreApplied() throws {
        let spec = try SpecParser.parse(text: """
            experiment: minimal
            seeds: [7]
            dataset: {kind: synthetic}
            methods:
              - {name: ranking, type: deep-ranking}
              - {name: classifier, type: classifier}
              - {name: lbp, type: handcrafted, feature: lbp}
              - {name: golden, type: golden}
              - {name: oasis, type: oasis, base: lbp}
            """, path: "minimal.yaml")
        XCTAssertNil(spec.description)
        XCTAssertEqual(spec.dataset, .synthetic(SyntheticConfig()))
        XCTAssertEqual(spec.testFraction, 0.25)
        XCTAssertEqual(spec.evaluation, EvaluationTripletParameters())
        XCTAssertEqual(spec.metrics, MetricSettings(topK: 30, recallAt: [1, 5, 10], gridQueries: 6, gridNeighbours: 8))
        XCTAssertEqual(spec.input, InputSpec(size: 64, resizeMode: .automatic, maxShift: 4, shiftFill: .replicate,
                                             flip: false,
                                             normalization: try ChannelNormalization(mean: [0.5, 0.5, 0.5],
                                                                                     std: [0.25, 0.25, 0.25])))
        XCTAssertNil(spec.sweep)
        let sgd = TrainingSchedule(steps: 600, batchSize: 32, learningRate: 0.05, momentum: 0.9, nesterov: true,
                                   weightDecay: 0.001, decayFactor: 0.1)
        XCTAssertEqual(spec.methods[0].kind, .deepRanking(DeepRankingSpec(
            network: .reference, schedule: sgd, margin: 0.2, sampler: .paper(TripletSamplingParameters()),
            pretraining: nil)))
        var classifier = sgd
        classifier.steps = 400; classifier.batchSize = 96
        XCTAssertEqual(spec.methods[1].kind, .classifier(network: .reference, schedule: classifier))
        XCTAssertEqual(spec.methods[2].kind, .handcrafted(FeatureChoice(feature: "lbp", distance: .chiSquare)))
        XCTAssertEqual(spec.methods[3].kind, .golden(
            features: [FeatureChoice(feature: "color-histogram", distance: .chiSquare),
                       FeatureChoice(feature: "wavelet", distance: .l2), FeatureChoice(feature: "hog", distance: .l2),
                       FeatureChoice(feature: "lbp", distance: .chiSquare)],
            learning: try GoldenWeightLearning(regularization: 1e-3, steps: 4000, batchSize: 32), triplets: 4000,
            sampler: .paper(TripletSamplingParameters())))
        XCTAssertEqual(spec.methods[4].kind, .oasis(
            base: "lbp", parameters: try OASISParameters(steps: 20_000, aggressiveness: 0.1, symmetrizeEvery: 0,
                                                         reportEvery: 1000),
            sampler: .paper(TripletSamplingParameters()), featureMap: .identity))
    }

    func testEveryKeySet() throws {
        let spec = try SpecParser.parse(text: """
            experiment: all-keys-2
            description: every key
            seeds: [3, 0]
            dataset:
              kind: synthetic
              categories: 3
              images_per_category: 10
              image_size: 32
              varying_factors: [shape, pose]
              relevance_weights: [1, 1, 0, 0, 0, 0]
              relevance_bandwidth: 0.5
              noise_sigma: 0
              background_variation: 0.1
              max_shift: 0.05
              colour_mode: grayscale
            split: {test_fraction: 0.5}
            input: {size: 16, resize_mode: area, max_shift: 2, shift_fill: zero, flip: true, normalize: false}
            evaluation: {triplets: 10, relevance_gap: 0.1, out_of_class_share: 0.5,
                         provided_triplets: ignore, max_draws_per_triplet: 7}
            methods:
              - name: online
                type: deep-ranking
                network: {preset: tiny, embedding: 4, deep_features: 8, dropout_keep: 0.5,
                          deep_stages: [{channels: 2, kernel: 3, padding: 1, pool_kernel: null},
                                        {channels: 3, kernel: 3, stride: 2, pool_kernel: 2, pool_stride: 1,
                                         local_response_norm: true}],
                          shallow_parts: [{subsample: 2, channels: 2, kernel: 3}]}
                steps: 0
                batch_size: 2
                learning_rate: 1e-3
                momentum: 0
                nesterov: false
                weight_decay: 0
                lr_decay_factor: 1
                margin: 0.5
                sampler: {kind: online, relevance_cap: 0.5, relevance_margin: 0, out_of_class_fraction: 0,
                          max_tries: 3, buffer_size: 4, acceptance: normalized-to-buffer}
                pretrain: true
              - {name: wavelet, type: handcrafted, feature: wavelet, distance: l1}
              - {name: g, type: golden, features: [hog, {feature: lbp, distance: l2}], triplets: 5,
                 regularization: 0.5, steps: 3, batch_size: 2, sampler: uniform}
              - {name: o, type: oasis, base: online, steps: 5, aggressiveness: 1, symmetrize_every: 2, report_every: 2}
            sweep: {key: methods.online.sampler.relevance_margin, values: [0, 0.1]}
            """, path: "dir/all.yaml")
        XCTAssertEqual(spec.seeds, [3, 0])
        XCTAssertEqual(spec.description, "every key")
        guard case .synthetic(let data) = spec.dataset else { return XCTFail("\(spec.dataset)") }
        XCTAssertEqual(data.varyingFactors, [.shape, .pose])
        XCTAssertEqual(data.colourMode, .grayscale)
        XCTAssertNil(spec.input.normalization)
        XCTAssertEqual(spec.evaluation.providedTriplets, .ignore)
        guard case .deepRanking(let ranking) = spec.methods[0].kind else { return XCTFail() }
        XCTAssertEqual(ranking.network.deepStages[0].poolKernel, nil)
        XCTAssertEqual(ranking.network.deepStages[1].localResponseNorm, true)
        XCTAssertEqual(ranking.network.shallowParts.count, 1)
        XCTAssertEqual(ranking.schedule.learningRate, 1e-3)
        XCTAssertEqual(ranking.pretraining, TrainingSchedule(steps: 200, batchSize: 96, learningRate: 0.05))
        XCTAssertEqual(ranking.sampler, .online(TripletSamplingParameters(relevanceCap: 0.5, relevanceMargin: 0,
                                                                          outOfClassFraction: 0, maxTries: 3),
                                                bufferSize: 4, acceptance: .normalizedToBuffer))
        XCTAssertEqual(spec.sweep?.labels, ["0", "0.1"])
        XCTAssertEqual(spec.sweep?.variants.count, 2)
        guard case .deepRanking(let swept)? = spec.sweep?.variants[1].methods[0].kind,
              case .online(let p, _, _) = swept.sampler else { return XCTFail() }
        XCTAssertEqual(p.relevanceMargin, 0.1)
        let plan = try spec.plan(seed: 3)
        XCTAssertTrue((plan.methods[3] as! OASISMethod).base === plan.methods[0])
    }

    func testImageFolderPathsResolveAgainstTheSpecDirectory() throws {
        let spec = try SpecParser.parse(text: """
            experiment: folder
            seeds: [1]
            dataset: {kind: image-folder, root: images, relevance_csv: /abs/r.csv}
            methods: [{name: hog, type: handcrafted, feature: hog}]
            """, path: "Experiments/folder.yaml")
        XCTAssertEqual(spec.dataset, .imageFolder(root: "Experiments/images", relevanceCSV: "/abs/r.csv", tripletsCSV: nil))
    }

    func testSweepOverANetworkPresetKey() throws {
        let spec = try SpecParser.parse(text: """
            experiment: sweep
            seeds: [1]
            dataset: {kind: synthetic}
            input: {size: 16}
            methods: [{name: r, type: deep-ranking, network: tiny, sampler: online}]
            sweep:
              key: methods.r.network.dropout_keep
              values: [0.5, 1]
            """, path: "s.yaml")
        guard case .deepRanking(let r)? = spec.sweep?.variants[0].methods[0].kind else { return XCTFail() }
        var expected = MultiScaleConfig.tiny
        expected.dropoutKeep = 0.5
        XCTAssertEqual(r.network, expected)
        XCTAssertEqual(r.sampler, .online(TripletSamplingParameters(), bufferSize: 20, acceptance: .paper))
    }

    func testCheckReportsOkAndErrors() throws {
        let ok = SpecCheck(path: Self.defaultComparison)
        XCTAssertTrue(ok.ok)
        XCTAssertEqual(ok.message, "\(Self.defaultComparison): ok (experiment default-comparison, 3 seeds, 10 methods: "
                       + "color-histogram, wavelet, hog, lbp, golden, oasis-hog, classifier, single-scale-ranking, "
                       + "oasis-single-scale, deep-ranking)")
        let missing = SpecCheck(path: "/nonexistent/spec.yaml")
        XCTAssertFalse(missing.ok)
        XCTAssertEqual(missing.message, "/nonexistent/spec.yaml:1:1: cannot read the spec: no such file")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spec-check-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = directory.appendingPathComponent("bad.yaml")
        try "experiment: bad\nseeds: [1]\ndataset: {kind: synthetic}\nmethods:\n  - {name: h, type: handcrafted, feature: hgo}\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let result = SpecCheck(path: bad.path)
        XCTAssertFalse(result.ok)
        XCTAssertEqual(result.message, "\(bad.path):5:43: methods[0].feature: unknown value 'hgo'; did you mean 'hog'? "
                       + "(allowed: color-histogram, wavelet, hog, lbp)")
    }

    func testExperimentsFolderSpecsAllCheck() throws {
        let folder = Self.repository.appendingPathComponent("Experiments")
        let specs = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertFalse(specs.isEmpty)
        for name in specs {
            let result = SpecCheck(path: folder.appendingPathComponent(name).path)
            XCTAssertTrue(result.ok, result.message)
        }
    }
}

final class SweepLabelTests: XCTestCase {
    /// Figure 6 needs weighted sampling at several fractions and uniform sampling in one
    /// sweep: mapping values are labelled by the entries in which they differ.
    func testMappingValuesAreLabelledByTheirDifferences() throws {
        let text = """
            experiment: fig6
            seeds: [1]
            dataset: {kind: synthetic}
            methods:
              - {name: deep-ranking, type: deep-ranking, network: tiny, input: 16}
            sweep:
              key: methods.deep-ranking.sampler
              values:
                - {kind: paper, relevance_margin: 0.2, out_of_class_fraction: 0.0}
                - {kind: paper, relevance_margin: 0.2, out_of_class_fraction: 0.4}
                - {kind: uniform, out_of_class_fraction: 0.0}

            """.replacingOccurrences(of: ", input: 16", with: "")
        let spec = try SpecParser.parse(text: text.replacingOccurrences(of: "dataset: {kind: synthetic}",
                                                                         with: "dataset: {kind: synthetic}\ninput: {size: 16}"),
                                        path: "fig6.yaml")
        let labels = try XCTUnwrap(spec.sweep).variants.map { $0.sweepPoint?.label }
        XCTAssertEqual(labels, ["kind=paper,out_of_class_fraction=0.0", "kind=paper,out_of_class_fraction=0.4",
                                "kind=uniform,out_of_class_fraction=0.0"])
        XCTAssertEqual(spec.sweep?.variants[2].sweepPoint?.folderName, "sampler=kind=uniform,out_of_class_fraction=0.0")
    }

    /// A recipe switched off (`false`) beside one mapping: the mapping is labelled by all its
    /// entries, a list entry written `a-b`, so the folder names say what was swept.
    func testAMappingBesideAScalarIsLabelledByItsEntries() throws {
        let text = """
            experiment: crops
            seeds: [1]
            dataset: {kind: synthetic}
            input: {size: 16}
            methods:
              - {name: deep-ranking, type: deep-ranking, network: tiny}
            sweep: {key: input.resized_crop, values: [false, {scale: [0.5, 1]}]}
            """
        let spec = try SpecParser.parse(text: text, path: "crops.yaml")
        let points = try XCTUnwrap(spec.sweep).variants.map { $0.sweepPoint }
        XCTAssertEqual(points.map { $0?.label }, ["false", "scale=0.5-1"])
        XCTAssertEqual(points[1]?.folderName, "resized_crop=scale=0.5-1")
        XCTAssertNil(spec.sweep?.variants[0].input.resizedCrop)
        XCTAssertEqual(spec.sweep?.variants[1].input.resizedCrop?.scale.lowerBound, 0.5)
    }
}

final class MetricSettingsSpecTests: XCTestCase {
    func testMetricKeysAreParsedAndChecked() throws {
        let head = "experiment: x\nseeds: [1]\ndataset: {kind: synthetic}\n"
        let tail = "methods:\n  - {name: hog, type: handcrafted, feature: hog}\n"
        let spec = try SpecParser.parse(text: head + "evaluation: {top_k: 20, recall_at: [10, 1], grid_queries: 3, "
                                        + "grid_neighbours: 5}\n" + tail, path: "x.yaml")
        XCTAssertEqual(spec.metrics, MetricSettings(topK: 20, recallAt: [1, 10], gridQueries: 3, gridNeighbours: 5))
        for (bad, expected) in [("{top_k: 0}", "evaluation.top_k"), ("{recall_at: [1, 1]}", "lists a K twice"),
                                ("{recall_at: []}", "the list is empty"), ("{grid_queries: -1}", "evaluation.grid_queries")] {
            XCTAssertThrowsError(try SpecParser.parse(text: head + "evaluation: \(bad)\n" + tail, path: "x.yaml")) { error in
                let message = "\(error)"
                XCTAssertTrue(message.hasPrefix("x.yaml:4:"), message)
                XCTAssertTrue(message.contains(expected), message)
            }
        }
    }
}
