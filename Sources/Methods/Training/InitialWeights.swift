import NeuralNet
import RunFile

/// Starting a network from a weights file (`network.init_from`), before any training.
///
/// A ranking network (`MultiScaleNetwork`) takes a file that holds exactly its ConvNet part
/// (every `deep.*` parameter: the paper starts from a ConvNet trained on ImageNet) or exactly
/// every parameter of the network. A classifier takes the ConvNet part from a file that
/// holds it (a whole ranking network's file does: its other parameters are not used); its
/// output layer starts from its own initialiser. Names and shapes must match; a mismatch
/// lists what was expected.
enum InitialWeights {
    static let convNetPrefix = "deep."

    /// Loads `file` into a ranking network's `store`; returns the names loaded.
    static func load(_ file: WeightsFile, intoRanking store: ParameterStore) throws -> [String] {
        let names = Set(file.arrays.map(\.name))
        let all = store.parameters, convNet = all.filter { $0.name.hasPrefix(convNetPrefix) }
        let chosen: [Parameter]
        if names == Set(all.map(\.name)) {
            chosen = all
        } else if names == Set(convNet.map(\.name)) {
            chosen = convNet
        } else {
            throw WeightsFileError.mismatch(file: file.source.path, reason: "it holds "
                + describeDifference(names, against: convNet) + " against the ConvNet part, and "
                + describeDifference(names, against: all) + " against the whole network; expected either the "
                + "ConvNet part: " + listing(convNet) + "; or the whole network: " + listing(all))
        }
        return try copy(file, into: chosen)
    }

    /// Loads the ConvNet part of `file` into a classifier's `store`; returns the names loaded.
    static func load(_ file: WeightsFile, intoClassifier store: ParameterStore) throws -> [String] {
        let convNet = store.parameters.filter { $0.name.hasPrefix(convNetPrefix) }
        let names = Set(file.arrays.map(\.name))
        guard Set(convNet.map(\.name)).isSubset(of: names) else {
            throw WeightsFileError.mismatch(file: file.source.path, reason: "it holds "
                + describeDifference(names, against: convNet) + " against the ConvNet part; expected "
                + listing(convNet))
        }
        return try copy(file, into: convNet)
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
