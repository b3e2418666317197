import Experiments
import XCTest

/// Bad specs: each one fails with the file, the line of the offending node, the key path
/// and what is wrong (with a did-you-mean for near misses).
final class BadSpecTests: XCTestCase {
    /// Lines 1-4; the method list starts at line 4, its first item at line 5.
    static let head = """
        experiment: bad
        seeds: [1]
        dataset: {kind: synthetic}
        methods:
        """

    struct Case {
        var name: String
        var yaml: String
        var line: Int
        var keyPath: String
        var fragment: String
        var suggestion: String? = nil
        var column: Int? = nil
    }

    static let cases: [Case] = [
        // The file as a whole.
        Case(name: "empty file", yaml: "", line: 1, keyPath: "", fragment: "the spec is empty"),
        Case(name: "only comments", yaml: "# nothing here\n", line: 1, keyPath: "", fragment: "the spec is empty"),
        Case(name: "top level is a list", yaml: "- experiment: x\n", line: 1, keyPath: "",
             fragment: "the top level must be a mapping of keys, got a list"),
        Case(name: "unclosed flow list", yaml: "experiment: x\nseeds: [1, 2\ndataset: {kind: synthetic}\n", line: 3,
             keyPath: "", fragment: "malformed YAML"),
        Case(name: "bad indentation", yaml: "experiment: x\n  seeds: [1]\n", line: 2, keyPath: "",
             fragment: "malformed YAML"),
        Case(name: "tab indentation", yaml: "experiment: x\ndataset:\n\tkind: synthetic\n", line: 3, keyPath: "",
             fragment: "malformed YAML"),
        Case(name: "duplicate top-level key", yaml: "experiment: x\nseeds: [1]\nexperiment: y\n", line: 3,
             keyPath: "experiment", fragment: "duplicate key 'experiment' (first given at line 1)"),
        Case(name: "duplicate nested key", yaml: head + "\n  - name: r\n    type: deep-ranking\n    steps: 5\n    steps: 6\n",
             line: 8, keyPath: "methods[0].steps", fragment: "duplicate key 'steps' (first given at line 7)"),

        // Top-level keys.
        Case(name: "unknown top-level key", yaml: "experiment: x\nseed: [1]\n", line: 2, keyPath: "seed",
             fragment: "unknown key; did you mean 'seeds'?", suggestion: "seeds"),
        Case(name: "missing experiment", yaml: "seeds: [1]\ndataset: {kind: synthetic}\nmethods: []\n", line: 1,
             keyPath: "", fragment: "missing required key 'experiment'"),
        Case(name: "bad experiment name", yaml: "experiment: My Experiment\n", line: 1, keyPath: "experiment",
             fragment: "'My Experiment' is not a valid experiment name"),
        Case(name: "missing seeds", yaml: "experiment: x\ndataset: {kind: synthetic}\n", line: 1, keyPath: "",
             fragment: "missing required key 'seeds'"),
        Case(name: "seeds empty", yaml: "experiment: x\nseeds: []\n", line: 2, keyPath: "seeds",
             fragment: "the list is empty"),
        Case(name: "seeds not a list", yaml: "experiment: x\nseeds: 3\n", line: 2, keyPath: "seeds",
             fragment: "expected a list, got the integer 3"),
        Case(name: "negative seed", yaml: "experiment: x\nseeds: [1, -2]\n", line: 2, keyPath: "seeds[1]",
             fragment: "-2 is out of range (allowed: an integer >= 0)"),
        Case(name: "duplicate seed", yaml: "experiment: x\nseeds:\n  - 4\n  - 5\n  - 4\n", line: 5, keyPath: "seeds[2]",
             fragment: "seed 4 is listed twice (also seeds[0])"),
        Case(name: "missing methods", yaml: "experiment: x\nseeds: [1]\ndataset: {kind: synthetic}\n", line: 1, keyPath: "",
             fragment: "missing required key 'methods'"),
        Case(name: "empty methods", yaml: head + " []\n", line: 4, keyPath: "methods", fragment: "the list is empty"),

        // Dataset.
        Case(name: "missing dataset kind", yaml: "experiment: x\nseeds: [1]\ndataset: {categories: 3}\n", line: 3,
             keyPath: "dataset", fragment: "missing required key 'kind'"),
        Case(name: "misspelt dataset kind key", yaml: "experiment: x\nseeds: [1]\ndataset: {knid: synthetic}\n", line: 3,
             keyPath: "dataset.knid", fragment: "did you mean 'kind'?", suggestion: "kind"),
        Case(name: "unknown dataset kind", yaml: "experiment: x\nseeds: [1]\ndataset: {kind: synthtic}\n", line: 3,
             keyPath: "dataset.kind", fragment: "unknown value 'synthtic'; did you mean 'synthetic'?", suggestion: "synthetic"),
        Case(name: "key of another dataset kind", yaml: "experiment: x\nseeds: [1]\ndataset:\n  kind: synthetic\n  root: data\n",
             line: 5, keyPath: "dataset.root", fragment: "unknown key (allowed: kind, categories"),
        Case(name: "synthetic image size too small", yaml: "experiment: x\nseeds: [1]\ndataset:\n  kind: synthetic\n  image_size: 16\n",
             line: 5, keyPath: "dataset.image_size", fragment: "16 is out of range (allowed: an integer in 32...256)"),
        Case(name: "categories above the families", yaml: "experiment: x\nseeds: [1]\ndataset:\n  kind: synthetic\n  categories: 11\n",
             line: 5, keyPath: "dataset.categories", fragment: "allowed: an integer in 1...10"),
        Case(name: "noise out of range", yaml: "experiment: x\nseeds: [1]\ndataset:\n  kind: synthetic\n  noise_sigma: 0.7\n",
             line: 5, keyPath: "dataset.noise_sigma", fragment: "0.7 is out of range (allowed: a number in 0...0.5)"),
        Case(name: "relevance weights count", yaml: "experiment: x\nseeds: [1]\ndataset:\n  kind: synthetic\n  relevance_weights: [1, 2]\n",
             line: 5, keyPath: "dataset.relevance_weights", fragment: "2 weights given"),
        Case(name: "unknown latent factor", yaml: "experiment: x\nseeds: [1]\ndataset:\n  kind: synthetic\n  varying_factors: [shape, poze]\n",
             line: 5, keyPath: "dataset.varying_factors[1]", fragment: "did you mean 'pose'?", suggestion: "pose"),
        Case(name: "colour mode misspelt", yaml: "experiment: x\nseeds: [1]\ndataset:\n  kind: synthetic\n  colour_mode: shared_hue\n",
             line: 5, keyPath: "dataset.colour_mode", fragment: "did you mean 'shared-hue'?", suggestion: "shared-hue"),
        Case(name: "image folder without root", yaml: "experiment: x\nseeds: [1]\ndataset:\n  kind: image-folder\n",
             line: 4, keyPath: "dataset", fragment: "missing required key 'root'"),
        Case(name: "icon themes listed twice", yaml: "experiment: x\nseeds: [1]\ndataset:\n  kind: icon-themes\n  themes: [Tango, oxygen, Tango]\n",
             line: 5, keyPath: "dataset.themes[2]", fragment: "theme 'Tango' is listed twice"),
        Case(name: "icon themes minimum above count", yaml: "experiment: x\nseeds: [1]\ndataset:\n  kind: icon-themes\n  themes: [Tango]\n",
             line: 5, keyPath: "dataset.themes", fragment: "min_themes_per_icon is 2 but only 1 theme(s) are listed"),
        Case(name: "icon category level", yaml: "experiment: x\nseeds: [1]\ndataset:\n  kind: icon-themes\n  themes: [a, b]\n  category: name\n",
             line: 6, keyPath: "dataset.category", fragment: "unknown value 'name'"),
        Case(name: "icon relevance order", yaml: "experiment: x\nseeds: [1]\ndataset:\n  kind: icon-themes\n  themes: [a, b]\n  same_icon_relevance: 0.05\n",
             line: 6, keyPath: "dataset.same_icon_relevance", fragment: "allowed: a number above same_context_relevance"),

        // Split, input, evaluation.
        Case(name: "test fraction 1", yaml: head + "\n  - {name: h, type: handcrafted, feature: hog}\nsplit: {test_fraction: 1}\n",
             line: 6, keyPath: "split.test_fraction", fragment: "allowed: a fraction strictly between 0 and 1"),
        Case(name: "a reserved icon theme", yaml: "experiment: bad\nseeds: [1]\ndataset: {kind: icon-themes, themes: [Tango, adwaita]}\nmethods:\n  - {name: h, type: handcrafted, feature: hog}\n",
             line: 3, keyPath: "dataset.themes[1]", fragment: "theme 'adwaita' is reserved for an evaluation this project does not see"),
        Case(name: "no room left for training", yaml: head + "\n  - {name: h, type: handcrafted, feature: hog}\nsplit: {test_fraction: 0.5, validation_fraction: 0.5}\n",
             line: 6, keyPath: "split.validation_fraction",
             fragment: "allowed: a fraction >= 0 with test_fraction + validation_fraction < 1"),
        Case(name: "validation triplets without a validation part", yaml: head + "\n  - {name: h, type: handcrafted, feature: hog}\nsplit: {validation_triplets: 50}\n",
             line: 6, keyPath: "split.validation_triplets",
             fragment: "is set but there is no validation part (allowed: validation_fraction > 0 as well)"),
        Case(name: "test fraction as a string", yaml: head + "\n  - {name: h, type: handcrafted, feature: hog}\nsplit: {test_fraction: \"0.2\"}\n",
             line: 6, keyPath: "split.test_fraction", fragment: "expected a number, got the string '0.2'"),
        Case(name: "input size float", yaml: head + "\n  - {name: h, type: handcrafted, feature: hog}\ninput:\n  size: 64.0\n",
             line: 7, keyPath: "input.size", fragment: "expected an integer, got the number 64.0"),
        Case(name: "normalize std zero", yaml: head + "\n  - {name: h, type: handcrafted, feature: hog}\ninput:\n  normalize: {std: [0.2, 0, 0.2]}\n",
             line: 7, keyPath: "input.normalize.std[1]", fragment: "0 is out of range (allowed: a number > 0)"),
        Case(name: "normalize two channels", yaml: head + "\n  - {name: h, type: handcrafted, feature: hog}\ninput:\n  normalize: {mean: [0.5, 0.5]}\n",
             line: 7, keyPath: "input.normalize.mean", fragment: "2 values given (allowed: one value per RGB channel (3))"),
        Case(name: "input is a list", yaml: head + "\n  - {name: h, type: handcrafted, feature: hog}\ninput: [64]\n",
             line: 6, keyPath: "input", fragment: "expected a mapping, got a list"),
        Case(name: "flip not a boolean", yaml: head + "\n  - {name: h, type: handcrafted, feature: hog}\ninput: {flip: sometimes}\n",
             line: 6, keyPath: "input.flip", fragment: "expected true or false, got the string 'sometimes'"),
        Case(name: "evaluation share above 1", yaml: head + "\n  - {name: h, type: handcrafted, feature: hog}\nevaluation:\n  out_of_class_share: 1.5\n",
             line: 7, keyPath: "evaluation.out_of_class_share", fragment: "allowed: a fraction in [0, 1]"),
        Case(name: "provided triplets policy misspelt", yaml: head + "\n  - {name: h, type: handcrafted, feature: hog}\nevaluation:\n  provided_triplets: use_as_given\n",
             line: 7, keyPath: "evaluation.provided_triplets", fragment: "did you mean 'use-as-given'?", suggestion: "use-as-given"),

        // Methods.
        Case(name: "method without type", yaml: head + "\n  - name: r\n    steps: 3\n", line: 5, keyPath: "methods[0]",
             fragment: "missing required key 'type' (allowed: deep-ranking, classifier, handcrafted, golden, oasis)"),
        Case(name: "unknown method type", yaml: head + "\n  - name: r\n    type: deep_ranking\n", line: 6,
             keyPath: "methods[0].type", fragment: "did you mean 'deep-ranking'?", suggestion: "deep-ranking"),
        Case(name: "method without name", yaml: head + "\n  - type: handcrafted\n    feature: hog\n", line: 5,
             keyPath: "methods[0]", fragment: "missing required key 'name'"),
        Case(name: "duplicate method names", yaml: head + "\n  - {name: h, type: handcrafted, feature: hog}\n  - {name: h, type: handcrafted, feature: lbp}\n",
             line: 6, keyPath: "methods[1].name", fragment: "duplicate method name 'h' (also methods[0])"),
        Case(name: "classifier rows collide", yaml: head + "\n  - {name: c, type: classifier}\n  - {name: c-penultimate, type: handcrafted, feature: hog}\n",
             line: 6, keyPath: "methods[1].name", fragment: "row 'c-penultimate' of this method is also a row of methods[0]"),
        Case(name: "negative steps", yaml: head + "\n  - name: r\n    type: deep-ranking\n    steps: -5\n", line: 7,
             keyPath: "methods[0].steps", fragment: "-5 is out of range (allowed: an integer >= 0)"),
        Case(name: "zero learning rate", yaml: head + "\n  - name: r\n    type: classifier\n    learning_rate: 0\n", line: 7,
             keyPath: "methods[0].learning_rate", fragment: "0 is out of range (allowed: a number > 0)"),
        Case(name: "steps as a float", yaml: head + "\n  - name: r\n    type: deep-ranking\n    steps: 1e3\n", line: 7,
             keyPath: "methods[0].steps", fragment: "expected an integer, got the number 1e3"),
        Case(name: "momentum 1", yaml: head + "\n  - name: r\n    type: deep-ranking\n    momentum: 1\n", line: 7,
             keyPath: "methods[0].momentum", fragment: "allowed: a number in [0, 1)"),
        Case(name: "key of another method type", yaml: head + "\n  - name: h\n    type: handcrafted\n    feature: hog\n    steps: 3\n",
             line: 8, keyPath: "methods[0].steps", fragment: "unknown key (allowed: name, type, feature, distance)"),
        Case(name: "misspelt method key", yaml: head + "\n  - name: r\n    type: deep-ranking\n    learnin_rate: 0.1\n", line: 7,
             keyPath: "methods[0].learnin_rate", fragment: "did you mean 'learning_rate'?", suggestion: "learning_rate"),
        Case(name: "misspelt sampler key", yaml: head + "\n  - name: r\n    type: deep-ranking\n    sampler:\n      kind: paper\n      relevence_margin: 0.2\n",
             line: 9, keyPath: "methods[0].sampler.relevence_margin",
             fragment: "did you mean 'relevance_margin'? (allowed: kind, relevance_cap, relevance_margin", suggestion: "relevance_margin"),
        Case(name: "sampler probability above 1", yaml: head + "\n  - name: r\n    type: deep-ranking\n    sampler: {out_of_class_fraction: 1.2}\n",
             line: 7, keyPath: "methods[0].sampler.out_of_class_fraction", fragment: "allowed: a probability in [0, 1]"),
        Case(name: "unknown sampler kind", yaml: head + "\n  - name: r\n    type: deep-ranking\n    sampler: onlin\n", line: 7,
             keyPath: "methods[0].sampler", fragment: "did you mean 'online'?", suggestion: "online"),
        Case(name: "buffer size on the paper sampler", yaml: head + "\n  - name: r\n    type: deep-ranking\n    sampler: {kind: paper, buffer_size: 4}\n",
             line: 7, keyPath: "methods[0].sampler.buffer_size", fragment: "unknown key"),
        Case(name: "online buffer too small", yaml: head + "\n  - name: r\n    type: deep-ranking\n    sampler: {kind: online, buffer_size: 1}\n",
             line: 7, keyPath: "methods[0].sampler.buffer_size", fragment: "allowed: an integer >= 2"),
        Case(name: "sampler is a list", yaml: head + "\n  - name: r\n    type: deep-ranking\n    sampler: [paper]\n", line: 7,
             keyPath: "methods[0].sampler", fragment: "expected one of the names, got a list"),
        Case(name: "unknown network preset", yaml: head + "\n  - name: r\n    type: deep-ranking\n    network: refrence\n", line: 7,
             keyPath: "methods[0].network", fragment: "did you mean 'reference'?", suggestion: "reference"),
        Case(name: "network input size mismatch", yaml: head + "\n  - name: r\n    type: deep-ranking\n    network: tiny\n", line: 7,
             keyPath: "methods[0].network", fragment: "the network's input size 16 differs from input.size 64"),
        Case(name: "explicit network input size mismatch", yaml: head + "\n  - name: r\n    type: classifier\n    network:\n      input_size: 32\n",
             line: 8, keyPath: "methods[0].network.input_size", fragment: "differs from input.size 64"),
        Case(name: "network leaves no pixels", yaml: head + "\n  - name: r\n    type: deep-ranking\n    network:\n      deep_stages:\n        - {channels: 4, kernel: 80}\n",
             line: 9, keyPath: "methods[0].network.deep_stages[0]", fragment: "deep stage 1 (kernel 80"),
        Case(name: "stage without channels", yaml: head + "\n  - name: r\n    type: deep-ranking\n    network:\n      deep_stages:\n        - {kernel: 3}\n",
             line: 9, keyPath: "methods[0].network.deep_stages[0]", fragment: "missing required key 'channels'"),
        Case(name: "single scale with shallow parts", yaml: head + "\n  - name: r\n    type: deep-ranking\n    network:\n      single_scale: true\n      shallow_parts: [{subsample: 4, channels: 2, kernel: 3}]\n",
             line: 8, keyPath: "methods[0].network.single_scale", fragment: "single_scale or shallow_parts, not both"),
        Case(name: "dropout keep zero", yaml: head + "\n  - name: r\n    type: deep-ranking\n    network: {dropout_keep: 0}\n", line: 7,
             keyPath: "methods[0].network.dropout_keep", fragment: "allowed: a probability in (0, 1]"),
        Case(name: "pretrain with zero steps", yaml: head + "\n  - name: r\n    type: deep-ranking\n    pretrain: {steps: 0}\n", line: 7,
             keyPath: "methods[0].pretrain.steps", fragment: "allowed: an integer >= 1"),
        Case(name: "pretrain a number", yaml: head + "\n  - name: r\n    type: deep-ranking\n    pretrain: 200\n", line: 7,
             keyPath: "methods[0].pretrain", fragment: "expected true or false, got the integer 200"),
        Case(name: "pretrain dataset with keep_best",
             yaml: head + "\n  - name: r\n    type: deep-ranking\n    pretrain:\n      keep_best: {every: 2}\n      dataset: {kind: synthetic}\n",
             line: 8, keyPath: "methods[0].pretrain.keep_best", fragment: "no keep_best under a pretrain that has a dataset"),
        Case(name: "pretrain concepts with keep_best",
             yaml: head + "\n  - name: r\n    type: deep-ranking\n    pretrain:\n      keep_best: {every: 2}\n      concept_relevance: 1\n",
             line: 8, keyPath: "methods[0].pretrain.keep_best", fragment: "has a dataset or concept_relevance"),
        Case(name: "pretrain dataset and concepts",
             yaml: head + "\n  - name: r\n    type: deep-ranking\n    pretrain:\n      concept_relevance: 1\n      dataset: {kind: synthetic}\n",
             line: 9, keyPath: "methods[0].pretrain.dataset", fragment: "pretrain has both a dataset and concept_relevance"),
        Case(name: "pretrain concept relevance zero",
             yaml: head + "\n  - name: r\n    type: deep-ranking\n    pretrain: {concept_relevance: 0}\n",
             line: 7, keyPath: "methods[0].pretrain.concept_relevance", fragment: "allowed: a relevance > 0"),
        Case(name: "pretrain target unknown",
             yaml: head + "\n  - name: r\n    type: deep-ranking\n    pretrain: {target: sift}\n",
             line: 7, keyPath: "methods[0].pretrain.target", fragment: "unknown value 'sift'"),
        Case(name: "pretrain hog target with concepts",
             yaml: head + "\n  - name: r\n    type: deep-ranking\n    pretrain:\n      target: hog\n      concept_relevance: 1\n",
             line: 9, keyPath: "methods[0].pretrain.concept_relevance", fragment: "but target is hog"),
        Case(name: "pretrain hog target with keep_best",
             yaml: head + "\n  - name: r\n    type: deep-ranking\n    pretrain:\n      keep_best: {every: 2}\n      target: hog\n",
             line: 8, keyPath: "methods[0].pretrain.keep_best", fragment: "or target hog"),
        Case(name: "pretrain scope network on the categories",
             yaml: head + "\n  - name: r\n    type: deep-ranking\n    pretrain: {scope: network}\n",
             line: 7, keyPath: "methods[0].pretrain.scope", fragment: "but target is categories"),
        Case(name: "clip_gradient_norm zero",
             yaml: head + "\n  - name: r\n    type: deep-ranking\n    clip_gradient_norm: 0\n",
             line: 7, keyPath: "methods[0].clip_gradient_norm", fragment: "a number > 0"),
        Case(name: "pretrain scope unknown",
             yaml: head + "\n  - name: r\n    type: deep-ranking\n    pretrain: {target: hog, scope: shallow}\n",
             line: 7, keyPath: "methods[0].pretrain.scope", fragment: "unknown value 'shallow'"),
        Case(name: "pretrain dataset of an unknown kind",
             yaml: head + "\n  - name: r\n    type: deep-ranking\n    pretrain: {dataset: {kind: imagenet}}\n",
             line: 7, keyPath: "methods[0].pretrain.dataset.kind", fragment: "unknown value 'imagenet'", suggestion: "image-folder"),
        Case(name: "unknown feature", yaml: head + "\n  - {name: h, type: handcrafted, feature: hogg}\n", line: 5,
             keyPath: "methods[0].feature", fragment: "unknown value 'hogg'; did you mean 'hog'?", suggestion: "hog"),
        Case(name: "unknown distance", yaml: head + "\n  - {name: h, type: handcrafted, feature: hog, distance: chi2}\n", line: 5,
             keyPath: "methods[0].distance", fragment: "allowed: l1, l2, squared-l2, chi-square"),
        Case(name: "feature too big for the input", yaml: head + "\n  - {name: h, type: handcrafted, feature: hog}\ninput: {size: 8, max_shift: 0}\n",
             line: 5, keyPath: "methods[0].feature", fragment: "too small"),
        Case(name: "golden feature twice", yaml: head + "\n  - name: g\n    type: golden\n    features: [hog, lbp, hog]\n", line: 7,
             keyPath: "methods[0].features[2]", fragment: "feature 'hog' is listed twice"),
        Case(name: "golden steps too few", yaml: head + "\n  - name: g\n    type: golden\n    steps: 1\n", line: 7,
             keyPath: "methods[0].steps", fragment: "allowed: an integer >= 2"),
        Case(name: "oasis base unknown", yaml: head + "\n  - {name: hog, type: handcrafted, feature: hog}\n  - {name: o, type: oasis, base: hgo}\n",
             line: 6, keyPath: "methods[1].base", fragment: "unknown method 'hgo'; did you mean 'hog'?", suggestion: "hog"),
        Case(name: "oasis base listed later", yaml: head + "\n  - {name: o, type: oasis, base: hog}\n  - {name: hog, type: handcrafted, feature: hog}\n",
             line: 5, keyPath: "methods[0].base", fragment: "base 'hog' is listed after 'o'; list it earlier"),
        Case(name: "oasis base itself", yaml: head + "\n  - {name: o, type: oasis, base: o}\n", line: 5,
             keyPath: "methods[0].base", fragment: "a method cannot be its own base"),
        Case(name: "oasis aggressiveness negative", yaml: head + "\n  - {name: h, type: handcrafted, feature: hog}\n  - {name: o, type: oasis, base: h, aggressiveness: -1}\n",
             line: 6, keyPath: "methods[1].aggressiveness", fragment: "allowed: a number > 0"),
        Case(name: "oasis feature map unknown", yaml: head + "\n  - {name: h, type: handcrafted, feature: hog}\n  - {name: o, type: oasis, base: h, feature_map: sqrt}\n",
             line: 6, keyPath: "methods[1].feature_map", fragment: "allowed: none, square-root"),
        Case(name: "oasis square root of an embedding", yaml: head + "\n  - {name: r, type: deep-ranking}\n  - {name: o, type: oasis, base: r, feature_map: square-root}\n",
             line: 6, keyPath: "methods[1].feature_map",
             fragment: "feature_map square-root needs a base with no negative components, and 'r' is not a handcrafted feature"),

        // Sweeps.
        Case(name: "sweep over an unknown method", yaml: head + "\n  - {name: hog, type: handcrafted, feature: hog}\nsweep: {key: methods.hgo.distance, values: [l1, l2]}\n",
             line: 6, keyPath: "sweep.key", fragment: "no method is named 'hgo'; did you mean 'hog'?", suggestion: "hog"),
        Case(name: "sweep value out of range", yaml: head + "\n  - {name: r, type: deep-ranking}\nsweep:\n  key: methods.r.sampler.out_of_class_fraction\n  values: [0, 0.5, 2]\n",
             line: 8, keyPath: "methods[0].sampler.out_of_class_fraction",
             fragment: "with methods.r.sampler.out_of_class_fraction = 2 (sweep.values[2]): 2 is out of range"),
        Case(name: "sweep over seeds", yaml: head + "\n  - {name: h, type: handcrafted, feature: hog}\nsweep: {key: seeds, values: [[1], [2]]}\n",
             line: 6, keyPath: "sweep.key", fragment: "'seeds' cannot be swept"),
        Case(name: "sweep value repeated", yaml: head + "\n  - {name: h, type: handcrafted, feature: hog}\nsweep: {key: split.test_fraction, values: [0.2, 0.2]}\n",
             line: 6, keyPath: "sweep.values[1]", fragment: "value '0.2' is listed twice"),
    ]

    func testEveryBadSpecFailsAtItsLineAndKey() {
        XCTAssertGreaterThanOrEqual(Self.cases.count, 30)
        for c in Self.cases {
            do {
                let spec = try SpecParser.parse(text: c.yaml, path: "Experiments/bad.yaml")
                XCTFail("\(c.name): parsed, expected an error (got \(spec.experiment))")
            } catch let error as SpecError {
                let text = error.description
                XCTAssertEqual(error.path, "Experiments/bad.yaml", c.name)
                XCTAssertEqual(error.line, c.line, "\(c.name): \(text)")
                if let column = c.column { XCTAssertEqual(error.column, column, "\(c.name): \(text)") }
                XCTAssertEqual(error.keyPath, c.keyPath, "\(c.name): \(text)")
                XCTAssertTrue(text.contains(c.fragment), "\(c.name): '\(text)' does not contain '\(c.fragment)'")
                XCTAssertEqual(error.suggestion, c.suggestion, "\(c.name): \(text)")
                XCTAssertTrue(text.hasPrefix("Experiments/bad.yaml:\(error.line):\(error.column): "), text)
            } catch {
                XCTFail("\(c.name): not a SpecError: \(error)")
            }
        }
    }

    func testDescriptionFormat() {
        let error = SpecError(path: "Experiments/x.yaml", line: 12, column: 5, keyPath: "methods[2].sampler.relevence_margin",
                              problem: "unknown key; did you mean 'relevance_margin'?", allowed: "kind, relevance_cap")
        XCTAssertEqual(error.description, "Experiments/x.yaml:12:5: methods[2].sampler.relevence_margin: unknown key; "
                       + "did you mean 'relevance_margin'? (allowed: kind, relevance_cap)")
    }
}
