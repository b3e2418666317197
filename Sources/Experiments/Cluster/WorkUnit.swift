import RunFile

/// One unit of work of a spec: one seed of one sweep variant (or of the spec, when it has no
/// sweep), which `deeprank run SPEC --unit <index>` runs and which writes one run file. A
/// SLURM array task runs one unit (README, "On a cluster").
public struct WorkUnit: Equatable, Sendable {
    /// The unit's position in its `WorkPlan`: sweep variants in the spec's order, and the
    /// seeds of each in the given order.
    public var index: Int
    /// The spec the unit runs: the sweep variant, or the spec itself.
    public var spec: ExperimentSpec
    public var seed: UInt64
    /// The folder of its run file: the plan's folder, or its sweep variant's subfolder.
    public var directory: String

    public init(index: Int, spec: ExperimentSpec, seed: UInt64, directory: String) {
        self.index = index; self.spec = spec; self.seed = seed; self.directory = directory
    }

    /// The sweep variant, nil for a spec without a sweep.
    public var sweepPoint: SweepPoint? { spec.sweepPoint }

    /// The run file the unit writes.
    public var output: String { SpecRunner.outputPath(directory: directory, seed: seed) }

    /// `margin=0.1 seed 2`, or `seed 2`.
    public var label: String { (sweepPoint.map { "\($0.folderName) " } ?? "") + "seed \(seed)" }
}
