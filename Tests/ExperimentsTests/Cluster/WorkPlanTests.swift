@testable import Experiments
import Foundation
import RunFile
import XCTest

/// Units, their indices and output paths, the job script and lock holders: the parts of the
/// cluster path that need no SLURM (ClusterCLITests runs the rest against a real one).
final class WorkPlanTests: XCTestCase {
    static let sweepSpec = """
        experiment: plan-test
        seeds: [3, 1]
        dataset: {kind: synthetic, categories: 3, images_per_category: 12, image_size: 32}
        split: {test_fraction: 0.34}
        input: {size: 32}
        evaluation: {triplets: 16, relevance_gap: 0.1}
        methods:
          - {name: lbp, type: handcrafted, feature: lbp}
          - {name: deep-ranking, type: deep-ranking, network: {preset: tiny, input_size: 32}, steps: 5, batch_size: 4}
        sweep: {key: methods.deep-ranking.margin, values: [0.1, 0.2, 0.3]}

        """

    func testUnitsAreVariantsTimesSeedsInTheOrderARunTrainsThem() throws {
        let spec = try SpecParser.parse(text: Self.sweepSpec, path: "plan-test.yaml")
        let plan = WorkPlan(spec: spec, directory: "/out")
        XCTAssertEqual(plan.units.count, 6)
        XCTAssertEqual(plan.units.map(\.index), Array(0..<6))
        XCTAssertEqual(plan.units.map(\.seed), [3, 1, 3, 1, 3, 1])
        XCTAssertEqual(plan.units.map(\.output), [
            "/out/margin=0.1/seed-3.h5", "/out/margin=0.1/seed-1.h5", "/out/margin=0.2/seed-3.h5",
            "/out/margin=0.2/seed-1.h5", "/out/margin=0.3/seed-3.h5", "/out/margin=0.3/seed-1.h5",
        ])
        // The same paths as a whole run of the spec writes.
        let runner = SpecRunner(spec: spec.sweep!.variants[1], seeds: nil,
                                outputDirectory: SpecRunner.variantDirectory(of: spec.sweep!.variants[1], base: "/out"),
                                commandLine: "test")
        XCTAssertEqual(runner.outputPath(seed: 1), plan.units[3].output)
        XCTAssertEqual(plan.units[3].label, "margin=0.2 seed 1")

        let seeds = WorkPlan(spec: spec, seeds: [7], directory: "/out")
        XCTAssertEqual(seeds.units.map(\.output), ["/out/margin=0.1/seed-7.h5", "/out/margin=0.2/seed-7.h5",
                                                   "/out/margin=0.3/seed-7.h5"])
        XCTAssertThrowsError(try seeds.unit(3)) { error in
            XCTAssertEqual("\(error)", "plan-test.yaml: unit 3 does not exist: the plan has 3 units, 0 to 2 (see `deeprank plan`)")
        }
    }

    func testASpecWithoutSweepHasOneUnitPerSeed() throws {
        let text = Self.sweepSpec.components(separatedBy: "sweep:")[0]
        let plan = WorkPlan(spec: try SpecParser.parse(text: text, path: "p.yaml"))
        XCTAssertEqual(plan.units.map(\.output), ["Results/plan-test/seed-3.h5", "Results/plan-test/seed-1.h5"])
        XCTAssertNil(plan.units[0].sweepPoint)
    }

    func testTheArrayListCompressesRuns() {
        XCTAssertEqual(SbatchScript.arrayList([0, 1, 2, 3]), "0-3")
        XCTAssertEqual(SbatchScript.arrayList([5, 0, 1, 3, 7, 8]), "0-1,3,5,7-8")
        XCTAssertEqual(SbatchScript.arrayList([4]), "4")
    }

    func testTheScriptRunsEachTaskAsItsUnitWithAbsolutePathsAndQuotesWhatNeedsIt() {
        let script = SbatchScript(experiment: "x", units: [0, 2, 3], unitCount: 4, binary: "/opt/deeprank/deeprank",
                                  specPath: "/home/me/my spec.yaml", directory: "/scratch/out", workingDirectory: "/home/me",
                                  seeds: [1, 2], resources: SlurmResources(partition: "cpu", time: "01:00:00", cpusPerTask: 4,
                                                                            memory: "8G"),
                                  checkpointEvery: 25, written: "2026-12-03T00:00:00Z")
        let lines = script.text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "#!/bin/bash")
        for line in ["#SBATCH --array=0,2-3", "#SBATCH --cpus-per-task=4", "#SBATCH --partition=cpu", "#SBATCH --time=01:00:00",
                     "#SBATCH --mem=8G", "#SBATCH --output=/scratch/out/slurm/logs/%A_%a.log", "#SBATCH --chdir=/home/me",
                     "exec /opt/deeprank/deeprank run '/home/me/my spec.yaml' --out /scratch/out --seeds 1,2 --unit "
                        + "\"$SLURM_ARRAY_TASK_ID\" --threads \"${SLURM_CPUS_PER_TASK:-4}\" --checkpoint-every 25"] {
            XCTAssertTrue(lines.contains(line), "\(line) not in\n\(script.text)")
        }
        var defaults = script
        defaults.resources = SlurmResources()
        XCTAssertFalse(defaults.text.contains("--partition") || defaults.text.contains("--time") || defaults.text.contains("--mem"),
                       defaults.text)
        XCTAssertTrue(defaults.text.contains("#SBATCH --cpus-per-task=1\n"), defaults.text)
        XCTAssertEqual(SbatchScript.quoted("it's"), "'it'\\''s'")
        XCTAssertEqual(SbatchScript.path(directory: "/scratch/out", experiment: "x"), "/scratch/out/slurm/x.sbatch")
    }

    func testLockHoldersRoundTripWithAndWithoutTheirSlurmTask() {
        let plain = RunLock.Holder(parsing: "123 node7\n")
        XCTAssertEqual(plain, RunLock.Holder(pid: 123, host: "node7", slurmTask: nil))
        let task = RunLock.Holder(parsing: "99 node3 slurm 4512_7")
        XCTAssertEqual(task, RunLock.Holder(pid: 99, host: "node3", slurmTask: "4512_7"))
        XCTAssertEqual(task?.text, "99 node3 slurm 4512_7")
        for bad in ["", "123", "x node", "-4 node", "12 node slurm", "12 node other 3_4"] {
            XCTAssertNil(RunLock.Holder(parsing: bad), bad)
        }
        // A holder on another host lives while its task is queued; without a queue it counts as alive.
        let elsewhere = RunLock.Holder(pid: 1, host: "not-this-host", slurmTask: "4512_7")
        XCTAssertTrue(UnitStatus.isAlive(elsewhere, queue: ["4512_7": "RUNNING"], heldHere: false))
        XCTAssertFalse(UnitStatus.isAlive(elsewhere, queue: ["4512_8": "RUNNING"], heldHere: false))
        XCTAssertTrue(UnitStatus.isAlive(elsewhere, queue: nil, heldHere: false))
    }
}
