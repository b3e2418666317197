import NeuralNet
import RunFile

/// Starting a network from a weights file (`network.init_from`), before any training.
///
/// A ranking network (`MultiScaleNetwork`) takes a file that holds exactly one of: its
/// convolutions (every `deep.conv*` parameter, e.g. torchvision AlexNet's `features`), its
/// ConvNet part (every `deep.*` parameter: the paper starts from a ConvNet trained on
/// ImageNet), or every parameter. A classifier takes the `deep.*` parameters of a file that
/// holds at least its convolutions (a ranking network's shallow parts and embedding in the
/// file are not used); its output layer starts from its own initialiser. Names and shapes
/// must match; a mismatch lists what was expected. Whatever a file does not set keeps the
/// initialiser's draws.
enum InitialWeights {
    static let convNetPrefix = "deep."
    static let convolutionPrefix = "deep.conv"
    /// Parameters of a ranking network outside its ConvNet part.
    static let rankingOnlyPrefixes = ["shallow_", "embed."]

    /// Loads `file` into a ranking network's `store`; returns the names loaded.
    static func load(_ file: WeightsFile, intoRanking store: ParameterStore) throws -> [String] {
        let names = Set(file.arrays.map(\.name))
        let all = store.parameters
        let scopes: [(String, [Parameter])] = [
            ("its convolutions", all.filter { $0.name.hasPrefix(convolutionPrefix) }),
            ("its ConvNet part", all.filter { $0.name.hasPrefix(convNetPrefix) }),
            ("the whole network", all),
        ]
        guard let (_, chosen) = scopes.first(where: { Set($0.1.map(\.name)) == names }) else {
            throw WeightsFileError.mismatch(file: file.source.path, reason: "it holds "
                + scopes.map { "\(describeDifference(names, against: $0.1)) against \($0.0)" }.joined(separator: ", ")
                + "; expected exactly one of: " + scopes.map { "\($0.0): \(listing($0.1))" }.joined(separator: "; "))
        }
        return try copy(file, into: chosen)
    }

    /// Loads the ConvNet part of `file` into a classifier's `store`; returns the names loaded.
    static func load(_ file: WeightsFile, intoClassifier store: ParameterStore) throws -> [String] {
        let convNet = store.parameters.filter { $0.name.hasPrefix(convNetPrefix) }
        let convolutions = convNet.filter { $0.name.hasPrefix(convolutionPrefix) }
        let names = Set(file.arrays.map(\.name)), known = Set(convNet.map(\.name))
        let foreign = names.subtracting(known).filter { name in !rankingOnlyPrefixes.contains { name.hasPrefix($0) } }
        guard Set(convolutions.map(\.name)).isSubset(of: names), foreign.isEmpty else {
            throw WeightsFileError.mismatch(file: file.source.path, reason: "it holds "
                + describeDifference(names.intersection(known).union(foreign), against: convolutions)
                + " against the convolutions; expected at least " + listing(convolutions)
                + (convNet.count > convolutions.count
                    ? ", and optionally " + listing(convNet.filter { !$0.name.hasPrefix(convolutionPrefix) }) : ""))
        }
        return try copy(file, into: convNet.filter { names.contains($0.name) })
    }

    private static func copy(_ file: WeightsFile, into parameters: [Parameter]) throws -> [String] {
        let byName = Dictionary(uniqueKeysWithValues: file.arrays.map { ($0.name, $0) })
        let wrong = parameters.filter { byName[$0.name]!.shape != $0.shape }
        guard wrong.isEmpty else {
            throw WeightsFileError.mismatch(file: file.source.path, reason: wrong.map {
                "\($0.name) has shape \(byName[$0.name]!.shape) in the file, the network's is \($0.shape)"
            }.joined(separator: "; "))
        }
        for parameter in parameters { parameter.value.copy(from: byName[parameter.name]!.values) }
        return parameters.map(\.name)
    }

    private static func describeDifference(_ names: Set<String>, against expected: [Parameter]) -> String {
        let expectedNames = Set(expected.map(\.name))
        let missing = expected.map(\.name).filter { !names.contains($0) }
        let unexpected = names.subtracting(expectedNames).sorted()
        return "\(missing.isEmpty ? "nothing missing" : "missing " + missing.joined(separator: ", "))"
            + "\(unexpected.isEmpty ? "" : " and unexpected " + unexpected.joined(separator: ", "))"
    }

    private static func listing(_ parameters: [Parameter]) -> String {
        parameters.map { "\($0.name) \($0.shape)" }.joined(separator: ", ")
    }
}
