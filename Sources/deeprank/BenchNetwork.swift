import Experiments
import Foundation
import NeuralNet

/// The network `deeprank bench engine --network` trains: a preset a spec's `network` can
/// name (`reference`, `tiny`, `paper-sized`), or `SPEC.yaml:METHOD`, the network of the
/// deep-ranking method METHOD of an experiment spec, as `deeprank run` builds it (the
/// spec goes through the spec parser, so every check of `deeprank check` applies).
struct BenchNetwork {
    /// The argument as given.
    var name: String
    var config: MultiScaleConfig

    /// Why an argument names no network the benchmark can train.
    enum Failure: Error, CustomStringConvertible, Equatable {
        case unknownPreset(String)
        /// A spec path without `:METHOD`.
        case missingMethod(spec: String)
        case noSuchMethod(spec: String, method: String, deepRanking: [String])
        case notDeepRanking(spec: String, method: String, type: String)
        /// The spec's sweep changes this method's network, so the spec holds no one network.
        case sweptNetwork(spec: String, method: String, key: String)

        var description: String {
            let form = "a preset (\(SpecParser.networkPresets.map(\.key).joined(separator: ", "))) or SPEC.yaml:METHOD"
            switch self {
            case .unknownPreset(let name):
                return "--network \(name): no such preset (allowed: \(form))"
            case .missingMethod(let spec):
                return "--network \(spec): name the deep-ranking method whose network to train, as \(spec):METHOD"
            case .noSuchMethod(let spec, let method, let deepRanking):
                return "--network \(spec):\(method): the spec has no method '\(method)' (its deep-ranking methods: "
                    + (deepRanking.isEmpty ? "none" : deepRanking.joined(separator: ", ")) + ")"
            case .notDeepRanking(let spec, let method, let type):
                return "--network \(spec):\(method): '\(method)' is a \(type) method; the engine benchmark trains "
                    + "the triplet network of a deep-ranking method"
            case .sweptNetwork(let spec, let method, let key):
                return "--network \(spec):\(method): the spec's sweep varies \(key), so the method has no single "
                    + "network; write the variant you want into a spec without the sweep"
            }
        }
    }

    /// Parses `--network`. Spec problems are the parser's `SpecError`s (they name the file,
    /// line and key); everything else is a `Failure`.
    init(_ argument: String) throws {
        name = argument
        if let preset = SpecParser.networkPresets.first(where: { $0.key == argument }) {
            config = preset.value
            return
        }
        guard let colon = argument.lastIndex(of: ":") else {
            let isFile = argument.hasSuffix(".yaml") || argument.hasSuffix(".yml")
                || FileManager.default.fileExists(atPath: argument)
            throw isFile ? Failure.missingMethod(spec: argument) : Failure.unknownPreset(argument)
        }
        let path = String(argument[..<colon]), method = String(argument[argument.index(after: colon)...])
        guard !method.isEmpty else { throw Failure.missingMethod(spec: path) }
        let spec = try SpecParser.load(path: path)
        guard let entry = spec.methods.first(where: { $0.name == method }) else {
            let deepRanking = spec.methods.filter { if case .deepRanking = $0.kind { true } else { false } }.map(\.name)
            throw Failure.noSuchMethod(spec: path, method: method, deepRanking: deepRanking)
        }
        guard case .deepRanking(let ranking) = entry.kind else {
            throw Failure.notDeepRanking(spec: path, method: method, type: entry.type)
        }
        if let key = spec.sweep?.key, key == "input.size" || key.hasPrefix("methods.\(method).network") {
            throw Failure.sweptNetwork(spec: path, method: method, key: key)
        }
        config = ranking.network
    }
}
