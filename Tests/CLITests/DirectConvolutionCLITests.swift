import Foundation
import XCTest

/// The direct convolution kernels (`DirectConvolution`) reproduce im2col + sgemm bit for
/// bit: a run file made before they existed (commit abe102c, every convolution through
/// im2col + OpenBLAS; the quickstart spec at budgets of 3 steps, stored beside it) replays
/// identically with the built binary, which on an AVX-512 machine runs the first
/// convolution of every network through the direct kernels.
final class DirectConvolutionCLITests: CLITestCase {
    func testARunMadeWithIm2colAndSgemmReplaysIdentically() throws {
        let fixture = Self.repositoryRoot.appendingPathComponent("Tests/Fixtures/im2col-era-quickstart-seed-1.h5")
        let directory = try makeTemporaryDirectory("DirectConvolution")
        let copy = directory.appendingPathComponent("seed-1.h5").path
        try FileManager.default.copyItem(atPath: fixture.path, toPath: copy)
        let replay = try deeprank(["replay", copy, "--threads", "2"])
        XCTAssertEqual(replay.status, 0, replay.output)
        XCTAssertTrue(replay.output.contains("seed-1.h5: identical"), replay.output)
    }

    /// Issue 17: the same run file, made with OpenBLAS on AVX-512 kernels, replays identically
    /// on the AVX2 path (no direct kernels, every product through the chains). The portable
    /// path's bits are checked by `QuickstartReplayTests` and the kernel tests.
    func testItReplaysIdenticallyOnTheAVX2Path() throws {
        let fixture = Self.repositoryRoot.appendingPathComponent("Tests/Fixtures/im2col-era-quickstart-seed-1.h5")
        let directory = try makeTemporaryDirectory("DirectConvolutionPaths")
        let copy = directory.appendingPathComponent("seed-1.h5").path
        try FileManager.default.copyItem(atPath: fixture.path, toPath: copy)
        for isa in ["avx2"] {
            let replay = try deeprank(["replay", copy, "--threads", "2", "--isa", isa])
            if replay.status != 0 && replay.output.contains("this CPU cannot run the \(isa) path") {
                print("testItReplaysIdenticallyOnTheAVX2Path: the \(isa) path did not run: this CPU lacks it")
                continue
            }
            XCTAssertEqual(replay.status, 0, replay.output)
            XCTAssertTrue(replay.output.contains("seed-1.h5: identical"), "\(isa): \(replay.output)")
        }
    }
}
