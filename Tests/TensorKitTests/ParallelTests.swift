import TensorKit
import XCTest

final class ParallelTests: XCTestCase {
    override func tearDown() { Parallel.configure(threads: 1) }

    func testEveryItemRunsOnceWhateverTheThreadCount() {
        for threads in [1, 2, 3, 8] {
            Parallel.configure(threads: threads)
            let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 37)
            counts.initialize(repeating: 0)
            defer { counts.deallocate() }
            Parallel.forEach(37) { item, worker in
                XCTAssertLessThan(worker, min(threads, 37))
                counts[item] += 1
            }
            XCTAssertTrue(counts.allSatisfy { $0 == 1 }, "threads \(threads)")
        }
    }

    func testVectorSumHasAFixedOrder() {
        var s = RandomStream(seed: 5, name: "sum")
        let values = (0..<1000).map { _ in s.nextUniform(-1, 1) }
        let a = values.withUnsafeBufferPointer { VectorOps.sum($0.baseAddress!, count: 1000) }
        let b = values.withUnsafeBufferPointer { VectorOps.sum($0.baseAddress!, count: 1000) }
        XCTAssertEqual(a.bitPattern, b.bitPattern)
        XCTAssertEqual(Double(a), values.reduce(0.0) { $0 + Double($1) }, accuracy: 1e-4)
    }
}
