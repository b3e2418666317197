import DatasetKit
import Features
import Foundation
import Yams

/// Reads experiment specs (Experiments/README.md) through Yams' node API, so that every
/// problem is reported with the line and column of the offending node (`SpecError`).
/// Everything is checked here, before any data is opened or anything trained.
public enum SpecParser {
    static let topLevelKeys = ["experiment", "description", "seeds", "dataset", "split", "input", "evaluation",
                               "methods", "sweep", "store_weights"]

    /// Reads and parses the spec file at `path`.
    public static func load(path: String) throws -> ExperimentSpec {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read as UTF-8 text" : "no such file"
            throw SpecError(path: path, line: 1, column: 1, keyPath: "", problem: "cannot read the spec: \(reason)")
        }
        return try parse(text: text, path: path)
    }

    /// Parses spec `text`; `path` names it in errors and anchors relative data paths
    /// (they resolve against the spec file's directory). `weightsFiles`: whether a network's
    /// `init_from` file is read and hashed (it must exist), or only named (restoring a stored
    /// model needs no starting weights).
    public static func parse(text: String, path: String, weightsFiles: WeightsFileReading = .hashed) throws -> ExperimentSpec {
        let root = try compose(text: text, path: path)
        var spec = try parseDocument(root, text: text, path: path, weightsFiles: weightsFiles)
        let top = try root.mapping(allowed: topLevelKeys)
        if let sweep = top.optional("sweep") {
            spec.sweep = try parseSweep(sweep, root: root, text: text, path: path, weightsFiles: weightsFiles)
        }
        return spec
    }

    /// The document's root node; YAML syntax errors, duplicate keys and an empty file are
    /// reported here.
    static func compose(text: String, path: String) throws -> SpecValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error, text: text, path: path)
        }
        let empty = SpecError(path: path, line: 1, column: 1, keyPath: "", problem: "the spec is empty",
                              allowed: "a mapping with at least the keys experiment, seeds, dataset, methods")
        guard let node else { throw empty }
        let root = SpecValue(node: node, keyPath: "", file: path)
        if root.isNull { throw empty }
        guard case .mapping = node else {
            throw root.error("the top level must be a mapping of keys, got \(root.described)",
                             allowed: topLevelKeys.joined(separator: ", "))
        }
        return root
    }

    static func yamlError(_ error: YamlError, text: String, path: String) -> SpecError {
        func make(_ mark: Mark, _ problem: String, _ context: YamlError.Context?) -> SpecError {
            let where_ = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return SpecError(path: path, line: mark.line, column: mark.column, keyPath: "",
                             problem: "malformed YAML: \(problem)\(where_)")
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return make(mark, problem, context)
        case .reader(let problem, let offset, _, _):
            let before = text.prefix(offset ?? 0)
            let line = before.filter { $0 == "\n" }.count + 1
            let column = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
            return SpecError(path: path, line: line, column: column, keyPath: "", problem: "malformed YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return duplicateKeyError(duplicates.first ?? "?", first: context.mark, text: text, path: path)
        default:
            return SpecError(path: path, line: 1, column: 1, keyPath: "", problem: "malformed YAML: \(error)")
        }
    }

    /// Yams reports a duplicated key at its first occurrence, before any node exists. To
    /// name the key path and the second occurrence, the first occurrence is renamed in a
    /// copy of the text and the copy composed again.
    static func duplicateKeyError(_ key: String, first: Mark, text: String, path: String) -> SpecError {
        let fallback = SpecError(path: path, line: first.line, column: first.column, keyPath: key,
                                 problem: "duplicate key '\(key)'")
        var lines = text.components(separatedBy: "\n")
        guard first.line >= 1, first.line <= lines.count else { return fallback }
        var scalars = Array(lines[first.line - 1].unicodeScalars)
        var at = first.column - 1
        guard at >= 0, at < scalars.count else { return fallback }
        if scalars[at] == "\"" || scalars[at] == "'" { at += 1 }
        let marker = "deeprank-duplicate-probe-"
        scalars.insert(contentsOf: marker.unicodeScalars, at: at)
        lines[first.line - 1] = String(String.UnicodeScalarView(scalars))
        guard let probe = try? Yams.compose(yaml: lines.joined(separator: "\n")),
              let (keyPath, second) = findDuplicate(of: key, marker: marker + key, in: probe, keyPath: "") else {
            return fallback
        }
        return SpecError(path: path, line: second.line, column: second.column, keyPath: keyPath,
                         problem: "duplicate key '\(key)' (first given at line \(first.line))")
    }

    private static func findDuplicate(of key: String, marker: String, in node: Node,
                                      keyPath: String) -> (String, Mark)? {
        switch node {
        case .mapping(let map):
            if map.contains(where: { $0.key.string == marker }),
               let other = map.first(where: { $0.key.string == key }), let mark = other.key.mark {
                return (keyPath.isEmpty ? key : "\(keyPath).\(key)", mark)
            }
            for (k, v) in map {
                let name = k.string ?? "?"
                if let found = findDuplicate(of: key, marker: marker, in: v,
                                             keyPath: keyPath.isEmpty ? name : "\(keyPath).\(name)") {
                    return found
                }
            }
        case .sequence(let seq):
            for (i, item) in seq.enumerated() {
                if let found = findDuplicate(of: key, marker: marker, in: item, keyPath: "\(keyPath)[\(i)]") {
                    return found
                }
            }
        default:
            break
        }
        return nil
    }

    // MARK: - The document

    /// Everything but the sweep.
    static func parseDocument(_ root: SpecValue, text: String, path: String,
                              weightsFiles: WeightsFileReading) throws -> ExperimentSpec {
        let top = try root.mapping(allowed: topLevelKeys)
        let experimentNode = try top.required("experiment")
        let experiment = try experimentNode.string()
        guard isName(experiment) else {
            throw experimentNode.error("'\(experiment)' is not a valid experiment name",
                                       allowed: "lower-case letters, digits and '-', starting with a letter or digit")
        }
        let description = try top.optional("description")?.string()
        let seeds = try parseSeeds(top.required("seeds"))
        let dataset = try parseDataset(top.required("dataset"), specPath: path)

        let split = try (top.optional("split") ?? root.empty("split"))
            .mapping(allowed: ["test_fraction", "validation_fraction", "validation_triplets"])
        let testFraction = try split.double("test_fraction", default: SpecDefaults.testFraction,
                                            allowed: "a fraction strictly between 0 and 1") { $0 > 0 && $0 < 1 }
        let validationFraction = try split.double(
            "validation_fraction", default: SpecDefaults.validationFraction,
            allowed: "a fraction >= 0 with test_fraction + validation_fraction < 1") { $0 >= 0 && testFraction + $0 < 1 }
        let validationTriplets = try split.optional("validation_triplets")?.int(in: 1...Int.max, allowed: "an integer >= 1")
        if validationTriplets != nil && validationFraction == 0 {
            throw split.location("validation_triplets").error("is set but there is no validation part",
                                                              allowed: "validation_fraction > 0 as well")
        }

        let input = try parseInput(top.optional("input") ?? root.empty("input"))
        let (evaluation, metrics) = try parseEvaluation(top.optional("evaluation") ?? root.empty("evaluation"))
        let methods = try parseMethods(top.required("methods"), input: input, specPath: path, weightsFiles: weightsFiles)
        if validationFraction == 0 { try requireNoSelection(methods, top.required("methods")) }
        var spec = ExperimentSpec(path: path, text: text, experiment: experiment, description: description, seeds: seeds,
                                  dataset: dataset, testFraction: testFraction, evaluation: evaluation, metrics: metrics,
                                  input: input, methods: methods, sweep: nil)
        spec.validationFraction = validationFraction
        spec.validationTriplets = validationTriplets
        spec.storeWeights = try top.optional("store_weights")?
            .choice(pairs: WeightStorage.allCases.map { (key: $0.rawValue, value: $0) }) ?? .all
        return spec
    }

    /// `[a-z0-9][a-z0-9-]*`: experiment and method names become file and group names.
    static func isName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.isLowerAlphanumeric else { return false }
        return s.unicodeScalars.allSatisfy { $0.isLowerAlphanumeric || $0 == "-" }
    }

    static func parseSeeds(_ value: SpecValue) throws -> [UInt64] {
        let items = try value.list(nonEmpty: true)
        var seen: [Int: Int] = [:]
        var seeds: [UInt64] = []
        for (i, item) in items.enumerated() {
            let seed = try item.int(in: 0...Int.max, allowed: "an integer >= 0")
            if let earlier = seen[seed] {
                throw item.error("seed \(seed) is listed twice (also seeds[\(earlier)])", allowed: "distinct seeds")
            }
            seen[seed] = i
            seeds.append(UInt64(seed))
        }
        return seeds
    }

    static func parseInput(_ value: SpecValue) throws -> InputSpec {
        let map = try value.mapping(allowed: ["size", "resize_mode", "max_shift", "shift_fill", "flip", "normalize",
                                              "resized_crop", "colour_jitter"])
        let size = try map.int("size", default: SpecDefaults.inputSize, in: 8...1024)
        let resizeMode = try map.choice("resize_mode", default: SpecDefaults.resizeMode,
                                        ["automatic": .automatic, "area": .area, "bilinear": .bilinear])
        let maxShift = try map.int("max_shift", default: SpecDefaults.maxShift, in: 0...(size - 1),
                                   allowed: "an integer in 0...\(size - 1) (below input.size)")
        let shiftFill = try map.choice("shift_fill", default: SpecDefaults.shiftFill,
                                       ["replicate": .replicate, "zero": .zero])
        let flip = try map.bool("flip", default: SpecDefaults.flip)
        var normalization: ChannelNormalization?
        if let n = map.self["normalize"] {
            if case .mapping = n.node {
                let nmap = try n.mapping(allowed: ["mean", "std"])
                func channels(_ key: String, _ fallback: [Float], _ allowed: String,
                              _ valid: @escaping (Double) -> Bool) throws -> [Float] {
                    let values = try nmap.floats(key, default: fallback, allowed: allowed, where: valid)
                    if values.count != 3 {
                        throw nmap.location(key).error("\(values.count) values given", allowed: "one value per RGB channel (3)")
                    }
                    return values
                }
                let mean = try channels("mean", SpecDefaults.normalizeMean, "a number", { _ in true })
                let std = try channels("std", SpecDefaults.normalizeStd, "a number > 0", { $0 > 0 })
                normalization = try surfacing(nmap) { try ChannelNormalization(mean: mean, std: std) }
            } else if n.isNull || (try? n.bool()) == false {
                normalization = nil
            } else {
                throw n.error("expected a mapping {mean, std} or false, got \(n.described)",
                              allowed: "{mean: [3 numbers], std: [3 numbers > 0]}, or false for none")
            }
        } else {
            normalization = try ChannelNormalization(mean: SpecDefaults.normalizeMean, std: SpecDefaults.normalizeStd)
        }
        let input = InputSpec(size: size, resizeMode: resizeMode, maxShift: maxShift, shiftFill: shiftFill, flip: flip,
                              normalization: normalization, resizedCrop: try parseResizedCrop(map),
                              colourJitter: try parseColourJitter(map))
        _ = try surfacing(map) { try input.augmentation() }
        return input
    }

    static func parseEvaluation(_ value: SpecValue) throws -> (EvaluationTripletParameters, MetricSettings) {
        let map = try value.mapping(allowed: ["triplets", "relevance_gap", "out_of_class_share", "provided_triplets",
                                              "max_draws_per_triplet", "top_k", "recall_at", "grid_queries",
                                              "grid_neighbours"])
        let d = SpecDefaults.evaluation
        var p = EvaluationTripletParameters()
        p.count = try map.int("triplets", default: d.count, in: 1...Int.max)
        p.relevanceGap = try map.float("relevance_gap", default: d.relevanceGap, allowed: "a number >= 0") { $0 >= 0 }
        p.outOfClassShare = try map.double("out_of_class_share", default: d.outOfClassShare,
                                           allowed: "a fraction in [0, 1]") { (0...1).contains($0) }
        p.providedTriplets = try map.choice("provided_triplets", default: d.providedTriplets,
                                            ["use-as-given": .useAsGiven, "restrict-to-test-split": .restrictToTestSplit,
                                             "ignore": .ignore])
        p.maxDrawsPerTriplet = try map.int("max_draws_per_triplet", default: d.maxDrawsPerTriplet, in: 1...Int.max)
        let m = SpecDefaults.metrics
        var metrics = MetricSettings()
        metrics.topK = try map.int("top_k", default: m.topK, in: 1...Int.max)
        if let list = map.optional("recall_at") {
            let items = try list.list(nonEmpty: true)
            metrics.recallAt = try items.map { try $0.int(in: 1...Int.max, allowed: "an integer >= 1") }
            if Set(metrics.recallAt).count != metrics.recallAt.count {
                throw list.error("lists a K twice", allowed: "distinct integers >= 1, e.g. [1, 5, 10]")
            }
            metrics.recallAt.sort()
        }
        metrics.gridQueries = try map.int("grid_queries", default: m.gridQueries, in: 0...64)
        metrics.gridNeighbours = try map.int("grid_neighbours", default: m.gridNeighbours, in: 1...64)
        try surfacing(map, keys: ["count": "triplets"]) { try p.validate() }
        return (p, metrics)
    }

    // MARK: - Library validation, surfaced at the offending key

    /// Runs `body`; an error a library type throws for one of its parameters is reported at
    /// that parameter's key in `map` (found by its snake-case name, or through `keys`), or
    /// at the mapping itself.
    static func surfacing<T>(_ map: SpecMapping, keys: [String: String] = [:], _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SpecError {
            throw error
        } catch {
            let name = parameterName(of: error).map { keys[$0] ?? $0 }
            let at = name.flatMap { map[$0] } ?? map.value
            throw at.error("\(error)")
        }
    }

    /// `synthetic.imageSize` -> `image_size`, `relevanceCap (T_p)` -> `relevance_cap`,
    /// `evaluation count` -> `count`.
    static func parameterName(of error: Error) -> String? {
        let raw: String
        switch error {
        case DatasetError.invalidParameter(let name, _, _): raw = name
        case SamplingError.invalidParameter(let name, _, _): raw = name
        case FeatureError.invalidParameter(let name, _, _): raw = name
        case PreprocessingError.invalidParameter(let name, _, _): raw = name
        default: return nil
        }
        let words = raw.split(separator: " ").filter { !$0.hasPrefix("(") }
        guard let last = words.last?.split(separator: ".").last else { return nil }
        var snake = ""
        for c in last {
            if c.isUppercase { snake += "_" + c.lowercased() } else { snake.append(c) }
        }
        return snake
    }
}

private extension Unicode.Scalar {
    var isLowerAlphanumeric: Bool { ("a"..."z").contains(self) || ("0"..."9").contains(self) }
}
