/// What `deeprank check` does for one spec file: parse it, build the plan of its first
/// seed (and of every sweep variant), open no data and train nothing.
public struct SpecCheck: Equatable, Sendable {
    public var path: String
    public var ok: Bool
    /// `PATH: ok (experiment NAME, N seeds, M methods: a, b, c)` or the error.
    public var message: String

    public init(path: String) {
        self.path = path
        do {
            let spec = try SpecParser.load(path: path)
            for variant in [spec] + (spec.sweep?.variants ?? []) {
                _ = try variant.plan(seed: variant.seeds[0])
            }
            ok = true
            message = "\(path): ok (\(SpecCheck.summary(spec)))"
        } catch {
            ok = false
            message = error is SpecError ? "\(error)" : "\(path): \(error)"
        }
    }

    static func summary(_ spec: ExperimentSpec) -> String {
        let seeds = spec.seeds.count == 1 ? "1 seed" : "\(spec.seeds.count) seeds"
        let methods = spec.methods.count == 1 ? "1 method" : "\(spec.methods.count) methods"
        var text = "experiment \(spec.experiment), \(seeds), \(methods): \(spec.methods.map(\.name).joined(separator: ", "))"
        if let sweep = spec.sweep { text += "; sweep \(sweep.key) over \(sweep.labels.count) values" }
        return text
    }
}
