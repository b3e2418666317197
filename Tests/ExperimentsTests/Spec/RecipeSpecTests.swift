import DatasetKit
import Experiments
import Foundation
import Methods
import RunFile
import TensorKit
import XCTest

/// The spec keys of the training recipes beyond the paper (`input.resized_crop`,
/// `input.colour_jitter`, a network method's `schedule`, deep ranking's `mining`): parsed
/// with their defaults, rejected at their line and key when bad, off when absent (the
/// digests of a run are then those of the code before the recipes existed), and, all on
/// together, the same bits with 1 or 2 threads and after an interruption.
final class RecipeSpecTests: XCTestCase {
    override func tearDown() {
        Parallel.configure(threads: 1)
        super.tearDown()
    }

    static func spec(input: String = "", method: String) -> String {
        """
        experiment: recipes
        seeds: [1]
        dataset: {kind: synthetic}
        input: {\(input)}
        methods:
          - {name: r, type: deep-ranking, \(method)}

        """
    }

    struct NotDeepRanking: Error {}

    func ranking(_ spec: ExperimentSpec) throws -> DeepRankingSpec {
        guard case .deepRanking(let ranking) = spec.methods[0].kind else { throw NotDeepRanking() }
        return ranking
    }

    func testEveryRecipeKeySet() throws {
        let text = Self.spec(
            input: "resized_crop: {scale: [0.3, 0.9], ratio: [0.5, 2]}, colour_jitter: {brightness: 0.4, contrast: 0.3, saturation: 0.2, hue: 0.05}",
            method: "schedule: {kind: cosine, warmup_steps: 30, final_fraction: 0.01}, "
                + "mining: {kind: semi-hard, groups: 6, per_group: 5, mix: 0.25, concept_relevance: 1}")
        let spec = try SpecParser.parse(text: text, path: "recipes.yaml")
        XCTAssertEqual(spec.input.resizedCrop, try RandomResizedCrop(scale: 0.3...0.9, ratio: 0.5...2))
        XCTAssertEqual(spec.input.colourJitter, try ColourJitter(brightness: 0.4, contrast: 0.3, saturation: 0.2, hue: 0.05))
        let augmentation = try spec.input.augmentation()
        XCTAssertEqual(augmentation.resizedCrop, spec.input.resizedCrop)
        XCTAssertEqual(augmentation.colourJitter, spec.input.colourJitter)
        let r = try ranking(spec)
        XCTAssertEqual(r.schedule.shape, .cosine(warmupSteps: 30, finalFraction: 0.01))
        XCTAssertEqual(r.mining, HardMining(kind: .semiHard, groups: 6, perGroup: 5, mix: 0.25, conceptRelevance: 1))
        let plan = try spec.plan(seed: 1)
        XCTAssertEqual((plan.methods[0] as? DeepRankingMethod)?.mining, r.mining)
        XCTAssertEqual(plan.augmentation, augmentation)
    }

    func testShortFormsAndDefaults() throws {
        let short = try SpecParser.parse(text: Self.spec(input: "resized_crop: true, colour_jitter: {hue: 0.1}",
                                                         method: "schedule: cosine, mining: batch-hard"), path: "r.yaml")
        XCTAssertEqual(short.input.resizedCrop, try RandomResizedCrop(scale: 0.08...1, ratio: 0.75...(4.0 / 3.0)))
        XCTAssertEqual(short.input.colourJitter, try ColourJitter(hue: 0.1))
        XCTAssertEqual(try ranking(short).schedule.shape, .cosine(warmupSteps: 0, finalFraction: 0))
        XCTAssertEqual(try ranking(short).mining, HardMining(kind: .batchHard, groups: 8, perGroup: 4, mix: 0))
        let classifier = try SpecParser.parse(text: Self.spec(method: "").replacingOccurrences(
            of: "type: deep-ranking, ", with: "type: classifier, schedule: {kind: cosine, warmup_steps: 5}, "), path: "c.yaml")
        guard case .classifier(_, let schedule) = classifier.methods[0].kind else { return XCTFail("not a classifier") }
        XCTAssertEqual(schedule.shape, .cosine(warmupSteps: 5, finalFraction: 0))
        let pretrain = try SpecParser.parse(text: Self.spec(method: "pretrain: {schedule: cosine}"), path: "p.yaml")
        XCTAssertEqual(try ranking(pretrain).pretraining?.shape, .cosine(warmupSteps: 0, finalFraction: 0))
    }

    func testPretrainingOnADatasetOfItsOwn() throws {
        let spec = try SpecParser.parse(text: Self.spec(method: """
            pretrain: {steps: 5, dataset: {kind: icon-themes, themes: [Papirus], min_themes_per_icon: 1, category: icon, \
            search_directories: [themes]}}
            """), path: "/specs/p.yaml")
        let ranking = try ranking(spec)
        XCTAssertEqual(ranking.pretraining?.steps, 5)
        XCTAssertEqual(ranking.pretrainingDataset, .iconThemes(IconThemesDataset.Options(
            themes: ["Papirus"], minimumThemesPerIcon: 1, searchDirectories: ["/specs/themes"], categories: .icon)))
        XCTAssertNil(try self.ranking(SpecParser.parse(text: Self.spec(method: "pretrain: {steps: 5}"), path: "p.yaml"))
            .pretrainingDataset, "without a dataset, pre-training learns the run's training split")
        XCTAssertNil(try self.ranking(SpecParser.parse(text: Self.spec(method: "pretrain: true"), path: "p.yaml"))
            .pretrainingDataset)
        XCTAssertEqual(ranking.pretrainingTarget, .categories, "the paper's target unless asked")
        let hog = try self.ranking(SpecParser.parse(text: Self.spec(method: "pretrain: {steps: 5, target: hog}"),
                                                    path: "p.yaml"))
        XCTAssertEqual(hog.pretrainingTarget, .hog)
        XCTAssertEqual(hog.pretraining?.steps, 5)
        XCTAssertEqual(hog.pretrainingScope, .convnet, "the paper's scope unless asked")
        let whole = try self.ranking(SpecParser.parse(
            text: Self.spec(method: "pretrain: {steps: 5, target: hog, scope: network}"), path: "p.yaml"))
        XCTAssertEqual(whole.pretrainingScope, .network)
        XCTAssertNil(whole.schedule.clipGradientNorm, "no clipping unless asked")
        let clipped = try self.ranking(SpecParser.parse(
            text: Self.spec(method: "clip_gradient_norm: 2.5, pretrain: {steps: 5, clip_gradient_norm: 10}"),
            path: "p.yaml"))
        XCTAssertEqual(clipped.schedule.clipGradientNorm, 2.5)
        XCTAssertEqual(clipped.pretraining?.clipGradientNorm, 10)
        XCTAssertEqual(whole.pretrainingTarget, .hog)
        let contexts = try SpecParser.parse(text: Self.spec(method: "").replacingOccurrences(
            of: "{kind: synthetic}", with: "{kind: icon-themes, themes: [a, b]}"), path: "c.yaml")
        XCTAssertEqual(contexts.dataset, .iconThemes(IconThemesDataset.Options(themes: ["a", "b"])),
                       "category defaults to the context")
    }

    func testTheRecipesAreOffWhenAbsentOrTurnedOff() throws {
        for (input, method) in [("", ""), ("resized_crop: false, colour_jitter: {brightness: 0, hue: 0}",
                                           "schedule: step-decay, mining: false"),
                                ("resized_crop: null, colour_jitter: false", "schedule: {kind: step-decay}, mining: null")] {
            let spec = try SpecParser.parse(text: Self.spec(input: input, method: method), path: "off.yaml")
            XCTAssertNil(spec.input.resizedCrop, input)
            XCTAssertNil(spec.input.colourJitter, input)
            XCTAssertEqual(try ranking(spec).schedule.shape, .stepDecay, method)
            XCTAssertNil(try ranking(spec).mining, method)
            let augmentation = try spec.input.augmentation()
            XCTAssertNil(augmentation.resizedCrop)
            XCTAssertNil(augmentation.colourJitter)
        }
    }

    struct Case {
        var name: String
        var input = ""
        var method = ""
        var keyPath: String
        var fragment: String
    }

    static let badCases: [Case] = [
        Case(name: "scale zero", input: "resized_crop: {scale: [0, 1]}", keyPath: "input.resized_crop.scale[0]",
             fragment: "allowed: a fraction of the area in (0, 1]"),
        Case(name: "scale reversed", input: "resized_crop: {scale: [0.9, 0.5]}", keyPath: "input.resized_crop.scale",
             fragment: "the lower bound 0.9 is above the upper bound 0.5"),
        Case(name: "scale one value", input: "resized_crop: {scale: [0.5]}", keyPath: "input.resized_crop.scale",
             fragment: "1 values given (allowed: two numbers [lower, upper])"),
        Case(name: "ratio negative", input: "resized_crop: {ratio: [-1, 2]}", keyPath: "input.resized_crop.ratio[0]",
             fragment: "allowed: a width / height ratio > 0"),
        Case(name: "resized crop misspelt key", input: "resized_crop: {scales: [0.5, 1]}", keyPath: "input.resized_crop.scales",
             fragment: "unknown key; did you mean 'scale'?"),
        Case(name: "resized crop a number", input: "resized_crop: 0.5", keyPath: "input.resized_crop",
             fragment: "expected true, false or a mapping"),
        Case(name: "hue too large", input: "colour_jitter: {hue: 0.6}", keyPath: "input.colour_jitter.hue",
             fragment: "allowed: a number in [0, 0.5]"),
        Case(name: "brightness negative", input: "colour_jitter: {brightness: -0.2}", keyPath: "input.colour_jitter.brightness",
             fragment: "allowed: a number >= 0"),
        Case(name: "colour jitter American", input: "color_jitter: {hue: 0.1}", keyPath: "input.color_jitter",
             fragment: "did you mean 'colour_jitter'?"),
        Case(name: "unknown schedule", method: "schedule: cosin", keyPath: "methods[0].schedule",
             fragment: "unknown value 'cosin'; did you mean 'cosine'?"),
        Case(name: "warm-up as long as the run", method: "steps: 10, schedule: {kind: cosine, warmup_steps: 10}",
             keyPath: "methods[0].schedule.warmup_steps", fragment: "warm-up of 10 steps in a run of 10 steps"),
        Case(name: "negative warm-up", method: "schedule: {kind: cosine, warmup_steps: -1}",
             keyPath: "methods[0].schedule.warmup_steps", fragment: "allowed: an integer >= 0"),
        Case(name: "final fraction above one", method: "schedule: {kind: cosine, final_fraction: 1.5}",
             keyPath: "methods[0].schedule.final_fraction", fragment: "allowed: a fraction in [0, 1] of learning_rate"),
        Case(name: "step decay with a warm-up", method: "schedule: {kind: step-decay, warmup_steps: 3}",
             keyPath: "methods[0].schedule.warmup_steps", fragment: "unknown key"),
        Case(name: "decay factor with the cosine", method: "lr_decay_factor: 0.5, schedule: cosine",
             keyPath: "methods[0].lr_decay_factor", fragment: "lr_decay_factor belongs to the step-decay schedule"),
        Case(name: "unknown mining kind", method: "mining: hardest", keyPath: "methods[0].mining",
             fragment: "unknown value 'hardest'"),
        Case(name: "mining without kind", method: "mining: {groups: 4}", keyPath: "methods[0].mining",
             fragment: "missing required key 'kind'"),
        Case(name: "one group", method: "mining: {kind: batch-hard, groups: 1}", keyPath: "methods[0].mining.groups",
             fragment: "allowed: an integer >= 2 (negatives come from the other groups)"),
        Case(name: "one image per group", method: "mining: {kind: semi-hard, per_group: 1}",
             keyPath: "methods[0].mining.per_group", fragment: "allowed: an integer >= 2"),
        Case(name: "mix of one", method: "mining: {kind: semi-hard, mix: 1}", keyPath: "methods[0].mining.mix",
             fragment: "allowed: a fraction in [0, 1)"),
        Case(name: "concept relevance zero", method: "mining: {kind: semi-hard, concept_relevance: 0}",
             keyPath: "methods[0].mining.concept_relevance", fragment: "allowed: a relevance > 0"),
        Case(name: "mining on a classifier", method: "mining: batch-hard", keyPath: "methods[0].mining",
             fragment: "unknown key"),
    ]

    func testBadValuesFailAtTheirKey() {
        for c in Self.badCases {
            var text = Self.spec(input: c.input, method: c.method)
            if c.name == "mining on a classifier" {
                text = text.replacingOccurrences(of: "type: deep-ranking", with: "type: classifier")
            }
            do {
                _ = try SpecParser.parse(text: text, path: "bad.yaml")
                XCTFail("\(c.name): parsed")
            } catch let error as SpecError {
                XCTAssertEqual(error.keyPath, c.keyPath, "\(c.name): \(error)")
                XCTAssertEqual(error.line, c.input.isEmpty ? 6 : 4, "\(c.name): \(error)")
                XCTAssertTrue(error.description.contains(c.fragment), "\(c.name): '\(error)' lacks '\(c.fragment)'")
            } catch {
                XCTFail("\(c.name): not a SpecError: \(error)")
            }
        }
    }

    // MARK: - Runs

    /// A run that exercises every default path the recipes touch: shifts and flips, dropout,
    /// classifier pre-training, the classifier and deep ranking with the paper's sampler.
    static let offText = """
        experiment: recipes-off
        seeds: [7]
        dataset: {kind: synthetic, categories: 3, images_per_category: 12, image_size: 32}
        split: {test_fraction: 0.34}
        input: {size: 32, max_shift: 2, flip: true}
        evaluation: {triplets: 16, relevance_gap: 0.1}
        methods:
          - {name: classifier, type: classifier, network: {preset: tiny, input_size: 32, dropout_keep: 0.6}, steps: 4, batch_size: 4}
          - {name: deep, type: deep-ranking, network: {preset: tiny, input_size: 32, dropout_keep: 0.6}, steps: 5, batch_size: 3,
             pretrain: {steps: 3, batch_size: 4}}

        """

    /// Every recipe on: resized crops, colour jitter, the cosine schedule (classifier,
    /// pre-training and ranking), mining mixed with the sampler, and batch-hard alone.
    static let onText = """
        experiment: recipes-on
        seeds: [7]
        dataset: {kind: synthetic, categories: 3, images_per_category: 12, image_size: 32}
        split: {test_fraction: 0.34}
        input: {size: 32, max_shift: 2, flip: true, resized_crop: {scale: [0.4, 1]},
                colour_jitter: {brightness: 0.3, contrast: 0.3, saturation: 0.3, hue: 0.05}}
        evaluation: {triplets: 16, relevance_gap: 0.1}
        methods:
          - {name: classifier, type: classifier, network: {preset: tiny, input_size: 32}, steps: 4, batch_size: 4,
             schedule: {kind: cosine, warmup_steps: 1}}
          - {name: mixed, type: deep-ranking, network: {preset: tiny, input_size: 32}, steps: 5, batch_size: 2,
             schedule: {kind: cosine, warmup_steps: 2, final_fraction: 0.1}, pretrain: {steps: 3, batch_size: 4, schedule: cosine},
             mining: {kind: semi-hard, groups: 3, per_group: 2, mix: 0.5}}
          - {name: mined, type: deep-ranking, network: {preset: tiny, input_size: 32}, steps: 5,
             mining: {kind: batch-hard, groups: 3, per_group: 3}}

        """

    func load(_ text: String) throws -> (directory: String, spec: ExperimentSpec) {
        try loadSpec(text, folderPrefix: "RecipeSpecTests")
    }

    func run(_ spec: ExperimentSpec, out: String, interval: Int = 0) throws -> RunDigests {
        try runDigests(spec, out: out, interval: interval)
    }

    /// With no recipe key, a run gives the digests the code gave before the recipes existed:
    /// these were written by `deeprank run` of `offText` built from commit 1a8e35e (the
    /// parent of the recipes), with 1 and with 2 threads.
    func testWithoutTheRecipeKeysARunHasTheDigestsOfTheCodeBeforeThem() throws {
        let (directory, spec) = try load(Self.offText)
        Parallel.configure(threads: 2)
        let digests = try run(spec, out: directory + "/out")
        XCTAssertEqual(digests.weights, "0b40c000128399a908623eff1a8d43549ee25e235b931cde7ce0b8ae9182a550")
        XCTAssertEqual(digests.metrics, "2e91d27b1a16583788ed5e5bb6b3c49604b612d26facc83237d84e64ab4130f8")
        XCTAssertEqual(digests.histories, "d1516a260d6a8a5dc05e1c8ea376aab900af3e5574b594d9bbfc09fd066673d0")
        XCTAssertEqual(digests.methodWeights, [
            "classifier": "ad82b43dda1948e3302f1c1297f04ac2af82739f7ca5169cd73d407dff34cf46",
            "deep": "91cc4bd6f5de088987832e5053237146deb74c2f4ed8967596f1d5c2b277f314",
        ])
    }

    func testAllRecipesTogetherAreBitIdenticalWithOneOrTwoThreadsAndAfterAnyInterruption() throws {
        let (directory, spec) = try load(Self.onText)
        Parallel.configure(threads: 1)
        let expected = try run(spec, out: directory + "/one")
        Parallel.configure(threads: 2)
        XCTAssertEqual(try run(spec, out: directory + "/two"), expected, "1 and 2 threads")

        try assertResumesIdentically(spec, in: directory, interval: 2, expected: expected, minimumCheckpoints: 7)
    }
}
