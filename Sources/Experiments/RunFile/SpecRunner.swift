import DatasetKit
import Foundation
import Methods
import TensorKit

/// What `deeprank run` does: runs a spec for each seed and writes one run file per seed,
/// `<outputDirectory>/seed-<seed>.h5`.
///
/// Before anything trains, it takes every output's lock (`RunLock`) and refuses when an
/// output exists (unless `overwrite`), so a refused run changes nothing. Holding the
/// lock, it removes temporary files (`<file>.tmp-*`) that an interrupted run left. Each
/// run file is written atomically when its seed finishes, and its lock is then released.
/// The thread count is `Parallel.threads`, set by the caller.
public struct SpecRunner {
    public var spec: ExperimentSpec
    /// The seeds to run, in order; nil runs the spec's.
    public var seeds: [UInt64]?
    /// nil: `Results/<experiment>` in the current directory.
    public var outputDirectory: String?
    public var overwrite: Bool
    /// Recorded in `/provenance`.
    public var commandLine: String
    public var log: (String) -> Void
    /// Per training step (a terminal progress bar).
    public var progress: (TrainingProgress) -> Void

    public init(spec: ExperimentSpec, seeds: [UInt64]? = nil, outputDirectory: String? = nil, overwrite: Bool = false,
                commandLine: String, log: @escaping (String) -> Void = { print($0) },
                progress: @escaping (TrainingProgress) -> Void = { _ in }) {
        self.spec = spec; self.seeds = seeds; self.outputDirectory = outputDirectory; self.overwrite = overwrite
        self.commandLine = commandLine; self.log = log; self.progress = progress
    }

    /// One finished seed.
    public struct Outcome {
        public var seed: UInt64
        public var path: String
        public var result: ExperimentResult
        public var digests: RunDigests
    }

    /// The run file of `seed`.
    public func outputPath(seed: UInt64) -> String {
        (outputDirectory ?? "Results/\(spec.experiment)") + "/seed-\(seed).h5"
    }

    public func run() throws -> [Outcome] {
        if let sweep = spec.sweep { return try runSweep(sweep) }
        let seeds = self.seeds ?? spec.seeds
        let paths = seeds.map(outputPath(seed:))
        let directory = outputDirectory ?? "Results/\(spec.experiment)"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw RunFileError.cannotCreateDirectory(path: directory, reason: error.localizedDescription)
        }
        var locks = try paths.map(RunLock.acquire(for:))
        if !overwrite, let existing = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            throw RunFileError.outputExists(file: existing)
        }
        for path in paths { removeLeftovers(of: path) }
        var outcomes: [Outcome] = []
        for (seed, path) in zip(seeds, paths) {
            let started = Date()
            let plan = try spec.plan(seed: seed)
            let result = try ExperimentRunner(log: log, progress: progress).run(plan)
            let record = RunRecord(spec: spec, result: result, dataset: result.dataset,
                                   provenance: .current(commandLine: commandLine, started: started))
            let digests = try RunFileWriter.write(record, to: path)
            locks.removeFirst().release()
            log("\(spec.experiment) seed \(seed): wrote \(path) (weights \(digests.weights.prefix(16)), "
                + "metrics \(digests.metrics.prefix(16)))")
            outcomes.append(Outcome(seed: seed, path: path, result: result, digests: digests))
        }
        return outcomes
    }

    /// Deletes `<path>.tmp-*`, the temporary files of interrupted writes; call holding the lock.
    private func removeLeftovers(of path: String) {
        let url = URL(fileURLWithPath: path)
        let prefix = url.lastPathComponent + ".tmp-"
        let directory = url.deletingLastPathComponent().path
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(prefix) {
            log("removing \(directory)/\(name), left by an interrupted run")
            unlink(directory + "/" + name)
        }
    }

    /// A sweep (issue 5, item 8): every variant is a named run of its own, written to
    /// `<outputDirectory>/<key's last segment>=<value>/seed-<seed>.h5`. All outputs are checked
    /// before the first variant trains, so a refused sweep changes nothing.
    func runSweep(_ sweep: SweepSpec) throws -> [Outcome] {
        let base = outputDirectory ?? "Results/\(spec.experiment)"
        let runners = sweep.variants.map { variant in
            SpecRunner(spec: variant, seeds: seeds, outputDirectory: base + "/" + (variant.sweepPoint?.folderName ?? "variant"),
                       overwrite: overwrite, commandLine: commandLine, log: log, progress: progress)
        }
        if !overwrite {
            let outputs = runners.flatMap { runner in (seeds ?? spec.seeds).map(runner.outputPath(seed:)) }
            if let existing = outputs.first(where: { FileManager.default.fileExists(atPath: $0) }) {
                throw RunFileError.outputExists(file: existing)
            }
        }
        var outcomes: [Outcome] = []
        for runner in runners {
            log("\(spec.experiment): sweep \(sweep.key) = \(runner.spec.sweepPoint?.label ?? "?")")
            outcomes += try runner.run()
        }
        return outcomes
    }
}
