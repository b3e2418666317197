import ArgumentParser

/// `--seeds 1,2,3`, shared by the commands that run or plan a spec.
struct SeedsOption: ParsableArguments {
    @Option(help: "Seeds to run, comma-separated (default: the spec's).")
    var seeds: String?

    func validate() throws { _ = try parsed() }

    /// The seeds given, in order; nil when the option is left out.
    func parsed() throws -> [UInt64]? {
        guard let seeds else { return nil }
        let parts = seeds.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap(UInt64.init)
        guard values.count == parts.count, !values.isEmpty else {
            throw ValidationError("--seeds must be comma-separated integers >= 0, got '\(seeds)'")
        }
        guard Set(values).count == values.count else { throw ValidationError("--seeds lists a seed twice: '\(seeds)'") }
        return values
    }
}
