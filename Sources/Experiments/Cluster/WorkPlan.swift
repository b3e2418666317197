import Foundation

/// The units of work of a spec run into one folder: every (sweep variant, seed), each with
/// its run file, in the order a local `deeprank run` trains them. `deeprank plan` lists
/// them, `deeprank run --unit I` runs one, and `deeprank submit` makes them a SLURM job array
/// whose task ids are the unit indices. The same spec, seeds and folder always give the same
/// indices.
public struct WorkPlan: Sendable {
    public var spec: ExperimentSpec
    public var seeds: [UInt64]
    /// The output folder (default `Results/<experiment>`).
    public var directory: String
    public var units: [WorkUnit]

    /// `seeds` nil: the spec's. `directory` nil: `Results/<experiment>`.
    public init(spec: ExperimentSpec, seeds: [UInt64]? = nil, directory: String? = nil) {
        self.spec = spec
        self.seeds = seeds ?? spec.seeds
        self.directory = directory ?? SpecRunner.defaultDirectory(of: spec)
        let variants = spec.sweep?.variants ?? [spec]
        var units: [WorkUnit] = []
        for variant in variants {
            let folder = spec.sweep == nil ? self.directory : SpecRunner.variantDirectory(of: variant, base: self.directory)
            for seed in self.seeds {
                units.append(WorkUnit(index: units.count, spec: variant, seed: seed, directory: folder))
            }
        }
        self.units = units
    }

    /// Unit `index`, or `ClusterError.unitOutOfRange`.
    public func unit(_ index: Int) throws -> WorkUnit {
        guard units.indices.contains(index) else {
            throw ClusterError.unitOutOfRange(spec: spec.path, index: index, count: units.count)
        }
        return units[index]
    }
}
