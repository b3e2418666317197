import DatasetKit
import Foundation
import Methods
import RunFile
import TensorKit

/// What `deeprank run` does: runs a spec for each seed and writes one run file per seed,
/// `<outputDirectory>/seed-<seed>.h5`.
///
/// Before anything trains, it takes every output's lock (`RunLock`) and looks at the outputs
/// that exist (unless `overwrite`, which replaces them):
/// - a `running` file of the same experiment (`SpecIdentity`) and seed is the checkpoint of an interrupted run:
///   that seed resumes from it;
/// - a `complete` file of the same experiment and seed is kept and its seed skipped, so an
///   interrupted multi-seed run picks up where it stopped; when every seed is complete
///   there is nothing to do and the run refuses (`outputExists`);
/// - any other file (another spec or seed, not a run file) refuses the run.
/// A refused run changes nothing. Holding the lock, it removes temporary files
/// (`<file>.tmp-*`) that an interrupted write left. While a seed trains, its run file is
/// rewritten as a `running` checkpoint every `checkpointInterval` training steps and after
/// every method; each write is atomic (temporary file, then rename), so a kill at any
/// moment leaves the previous checkpoint or the new one, never half a file. The thread
/// count is `Parallel.threads`, set by the caller.
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
    /// Training steps between checkpoints (0: none; the run file is written only at the end).
    public var checkpointInterval: Int

    /// Called after every checkpoint write (tests interrupt a run here).
    public var afterCheckpoint: () throws -> Void = {}
    /// Whether the holder of an output's lock is gone although the lock cannot tell (a holder
    /// on another host: the cluster code asks SLURM whether its task still runs).
    public var lockHolderGone: (RunLock.Holder) -> Bool = { _ in false }

    public init(spec: ExperimentSpec, seeds: [UInt64]? = nil, outputDirectory: String? = nil, overwrite: Bool = false,
                commandLine: String, log: @escaping (String) -> Void = { print($0) },
                progress: @escaping (TrainingProgress) -> Void = { _ in },
                checkpointInterval: Int = RunFileFormat.defaultCheckpointInterval) {
        self.spec = spec; self.seeds = seeds; self.outputDirectory = outputDirectory; self.overwrite = overwrite
        self.commandLine = commandLine; self.log = log; self.progress = progress
        self.checkpointInterval = checkpointInterval
    }

    /// One seed finished by this run (seeds kept from an earlier run have none).
    public struct Outcome {
        public var seed: UInt64
        public var path: String
        public var result: ExperimentResult
        public var digests: RunDigests
        /// Seconds each checkpoint write took, in order (the checkpoint overhead benchmark).
        public var checkpointWrites: [Double] = []
        /// Seconds the seed took in all, checkpoints and the final write included.
        public var seconds: Double = 0
    }

    /// The run file of `seed`.
    public func outputPath(seed: UInt64) -> String {
        Self.outputPath(directory: outputDirectory ?? Self.defaultDirectory(of: spec), seed: seed)
    }

    /// `<directory>/seed-<seed>.h5`.
    public static func outputPath(directory: String, seed: UInt64) -> String { directory + "/seed-\(seed).h5" }

    /// `Results/<experiment>`, in the current directory.
    public static func defaultDirectory(of spec: ExperimentSpec) -> String { "Results/\(spec.experiment)" }

    /// The folder of a sweep variant's run files: `<base>/<key's last segment>=<value>`.
    public static func variantDirectory(of variant: ExperimentSpec, base: String) -> String {
        base + "/" + (variant.sweepPoint?.folderName ?? "variant")
    }

    public func run() throws -> [Outcome] {
        if let sweep = spec.sweep { return try runSweep(sweep) }
        let seeds = self.seeds ?? spec.seeds
        let paths = seeds.map(outputPath(seed:))
        let directory = outputDirectory ?? Self.defaultDirectory(of: spec)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw RunFileError.cannotCreateDirectory(path: directory, reason: error.localizedDescription)
        }
        var locks = try paths.map { try RunLock.acquire(for: $0, isGone: lockHolderGone) }
        var resumePoints: [UInt64: RunResumePoint] = [:]
        var kept: Set<UInt64> = []
        if !overwrite {
            for (seed, path) in zip(seeds, paths) where FileManager.default.fileExists(atPath: path) {
                let record = try existingRun(at: path, seed: seed)
                if record.status == .running { resumePoints[seed] = RunResumePoint(record) } else { kept.insert(seed) }
            }
            if kept.count == seeds.count { throw RunFileError.outputExists(file: paths[0]) }
        }
        for path in paths { removeLeftovers(of: path) }
        var outcomes: [Outcome] = []
        for (seed, path) in zip(seeds, paths) {
            let lock = locks.removeFirst()
            if kept.contains(seed) {
                log("\(spec.experiment) seed \(seed): \(path) is complete (from an earlier run); kept")
                lock.release()
                continue
            }
            let started = Date()
            let plan = try spec.plan(seed: seed)
            let resume = resumePoints[seed]
            if let resume {
                log("\(spec.experiment) seed \(seed): resuming from the checkpoint in \(path) ("
                    + "\(resume.finished.count) methods finished"
                    + (resume.training.map { ", \($0.loop) at step \($0.step)" } ?? "") + ")")
            }
            let write = { (result: ExperimentResult, state: TrainingState?) throws -> RunDigests in
                var record = RunRecord(spec: spec, result: result, dataset: result.dataset,
                                       provenance: .current(commandLine: commandLine, started: started), checkpoint: state)
                record.checkpointInterval = checkpointInterval
                return try RunFileWriter.write(record, to: path)
            }
            var writes: [Double] = []
            let checkpointing = RunCheckpointing(interval: checkpointInterval, file: path, resume: resume) { result, state in
                let writeStart = Date()
                _ = try write(result, state)
                writes.append(Date().timeIntervalSince(writeStart))
                try afterCheckpoint()
            }
            let result = try ExperimentRunner(log: log, progress: progress, checkpointing: checkpointing).run(plan)
            let digests = try write(result, nil)
            lock.release()
            log("\(spec.experiment) seed \(seed): wrote \(path) (weights \(digests.weights.prefix(16)), "
                + "metrics \(digests.metrics.prefix(16)))")
            outcomes.append(Outcome(seed: seed, path: path, result: result, digests: digests, checkpointWrites: writes,
                                    seconds: Date().timeIntervalSince(started)))
        }
        return outcomes
    }

    /// The record of an existing output, which must be a run of this spec and `seed`
    /// (else the run refuses: it would replace somebody else's results).
    func existingRun(at path: String, seed: UInt64) throws -> RunRecord {
        let reader: RunFileReader
        do {
            reader = try RunFileReader(path: path)
            guard try Self.isRun(reader, of: spec, seed: seed) else { throw RunFileError.outputExists(file: path) }
            return try reader.record()
        } catch {
            throw RunFileError.outputExists(file: path)
        }
    }

    /// Whether the run file `reader` reads is a run of `spec` (the same experiment,
    /// `SpecIdentity`), its sweep variant and `seed`: what may be kept or resumed in its place.
    static func isRun(_ reader: RunFileReader, of spec: ExperimentSpec, seed: UInt64) throws -> Bool {
        try SpecIdentity.same(reader.specText(), spec.text) && reader.seed == seed && reader.sweepPoint() == spec.sweepPoint
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

    /// A sweep: every variant is a named run of its own, written to
    /// `<outputDirectory>/<key's last segment>=<value>/seed-<seed>.h5`. All outputs are checked
    /// before the first variant trains, so a refused sweep changes nothing.
    func runSweep(_ sweep: SweepSpec) throws -> [Outcome] {
        let base = outputDirectory ?? Self.defaultDirectory(of: spec)
        var runners = sweep.variants.map { variant in
            SpecRunner(spec: variant, seeds: seeds, outputDirectory: Self.variantDirectory(of: variant, base: base),
                       overwrite: overwrite, commandLine: commandLine, log: log, progress: progress,
                       checkpointInterval: checkpointInterval)
        }
        for index in runners.indices {
            runners[index].afterCheckpoint = afterCheckpoint
            runners[index].lockHolderGone = lockHolderGone
        }
        let allSeeds = self.seeds ?? spec.seeds
        var done: Set<Int> = []
        if !overwrite {
            // Every existing output must belong to this sweep (or nothing runs); variants whose
            // outputs are all complete are skipped, so an interrupted sweep resumes.
            for (index, runner) in runners.enumerated() {
                var complete = 0
                for seed in allSeeds where FileManager.default.fileExists(atPath: runner.outputPath(seed: seed)) {
                    if try runner.existingRun(at: runner.outputPath(seed: seed), seed: seed).status == .complete { complete += 1 }
                }
                if complete == allSeeds.count { done.insert(index) }
            }
            if done.count == runners.count { throw RunFileError.outputExists(file: runners[0].outputPath(seed: allSeeds[0])) }
        }
        var outcomes: [Outcome] = []
        for (index, runner) in runners.enumerated() {
            let label = runner.spec.sweepPoint?.label ?? "?"
            if done.contains(index) {
                log("\(spec.experiment): sweep \(sweep.key) = \(label): complete (from an earlier run); kept")
                continue
            }
            log("\(spec.experiment): sweep \(sweep.key) = \(label)")
            outcomes += try runner.run()
        }
        return outcomes
    }
}
