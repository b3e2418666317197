import Foundation
import XCTest

/// `DEEPRANK_HIDE_AVX512=1` makes a process behave as on a CPU without AVX-512 (issue 17: the
/// test suite must pass there; `.ci`-independent, it is how that was checked on this machine):
/// the AVX-512 path is refused like a path the CPU lacks, and the others still run.
final class HiddenAVX512CLITests: CLITestCase {
    static let hidden = ["DEEPRANK_HIDE_AVX512": "1"]

    func testTheAVX512PathIsRefusedAndTheOthersRun() throws {
        let arguments = ["bench", "sgemm", "--layer", "shallow2", "--batch-triplets", "1", "--repeats", "1"]
        let refused = try deeprank(arguments + ["--isa", "avx512"], environment: Self.hidden)
        XCTAssertNotEqual(refused.status, 0, refused.output)
        XCTAssertTrue(refused.output.contains("this CPU cannot run the avx512 path"), refused.output)

        let others = try deeprank(arguments, environment: Self.hidden)
        XCTAssertEqual(others.status, 0, others.output)
        let header = try XCTUnwrap(others.output.split(separator: "\n").first { $0.hasPrefix("layer") }, others.output)
        XCTAssertFalse(header.contains("avx512"), String(header))
        XCTAssertTrue(header.contains("portable"), String(header))
    }
}
