import Foundation
@testable import NeuralNet
import TensorKit
import XCTest

/// `Linear` cuts its forward and input-gradient products by output columns where every piece
/// takes the chain kernels' level-3 path, which streams the weight once instead of once per
/// 16 rows. Its bits must be those of the row cut every committed run file was made with.
final class LinearCutTests: XCTestCase {
    /// Inputs and outputs whose pieces all take the level-3 path (40 rows: 16, 16, 8; 300
    /// outputs: 256 + 44; 1000 inputs: K blocks 320, 320, then the rest halved).
    static let (rows, inputs, outputs) = (40, 1000, 300)

    func testTheCutFollowsTheLevel3PathOfEveryPiece() {
        XCTAssertEqual(Linear.cut(transposeB: true, rows: Self.rows, columns: Self.outputs, depth: Self.inputs), .columns)
        XCTAssertEqual(Linear.cut(transposeB: false, rows: Self.rows, columns: Self.inputs, depth: Self.outputs), .columns)
        // The reference network's fc (96 x 8192 -> 256) and embed: both cuts take the level-3 path.
        XCTAssertEqual(Linear.cut(transposeB: true, rows: 96, columns: 256, depth: 8192), .columns)
        // A row piece of 8 x 100 x 1000 = 8e5 products takes a small kernel: rows.
        XCTAssertEqual(Linear.cut(transposeB: true, rows: 40, columns: 100, depth: 1000), .rows)
        // The input gradient's last column piece, 40 x 44 x 500 = 8.8e5 (no transpose), takes a small
        // kernel: rows. (Transposed, as the forward product, 44 x 40 > 1200 keeps it on the level-3 path.)
        XCTAssertEqual(Linear.cut(transposeB: false, rows: 40, columns: 300, depth: 500), .rows)
        XCTAssertEqual(Linear.cut(transposeB: true, rows: 40, columns: 300, depth: 500), .columns)
        // The paper-sized fc and embed at a training batch and at one image.
        for rows in [96, 1] {
            XCTAssertEqual(Linear.cut(transposeB: true, rows: rows, columns: 4096, depth: 6400), .columns)
            XCTAssertEqual(Linear.cut(transposeB: false, rows: rows, columns: 6400, depth: 4096), .columns)
        }
    }

    /// Forward and input gradient, cut by columns, against the same products made by rows of
    /// `Linear.rowBlock`, byte for byte, on one and two threads.
    func testTheColumnCutGivesTheRowCutsBits() {
        let (n, inF, outF) = (Self.rows, Self.inputs, Self.outputs)
        var stream = RandomStreams(seed: 7).stream("test/linear-cut")
        func draw(_ shape: [Int]) -> Tensor {
            let t = Tensor(zeros: shape)
            for i in 0..<t.count { t[flat: i] = stream.nextUniformFloat() * 2 - 1 }
            return t
        }
        let weight = draw([outF, inF]), bias = draw([outF]), x = draw([n, inF]), dy = draw([n, outF])

        // The row cut, written out: bias, then one product per block of rows.
        var expectedY = [Float](repeating: 0, count: n * outF)
        var expectedDx = [Float](repeating: 0, count: n * inF)
        for r0 in stride(from: 0, to: n, by: Linear.rowBlock) {
            let rows = min(Linear.rowBlock, n - r0)
            expectedY.withUnsafeMutableBufferPointer { y in
                for r in r0..<(r0 + rows) { (y.baseAddress! + r * outF).update(from: bias.pointer, count: outF) }
                BLAS.sgemm(transposeB: true, m: rows, n: outF, k: inF, a: x.pointer + r0 * inF, lda: inF,
                           b: weight.pointer, ldb: inF, beta: 1, c: y.baseAddress! + r0 * outF, ldc: outF)
            }
            expectedDx.withUnsafeMutableBufferPointer { dx in
                BLAS.sgemm(m: rows, n: inF, k: outF, a: dy.pointer + r0 * outF, lda: outF,
                           b: weight.pointer, ldb: inF, beta: 0, c: dx.baseAddress! + r0 * inF, ldc: inF)
            }
        }
        for threads in [1, 2] {
            Parallel.configure(threads: threads)
            let layer = Linear(name: "cut", weight: weight.clone(), bias: bias.clone())
            let y = layer.forward(x, training: true)
            let dx = layer.backward(dy)!
            XCTAssertTrue(Self.sameBytes(y, expectedY), "forward, \(threads) thread(s)")
            XCTAssertTrue(Self.sameBytes(dx, expectedDx), "input gradient, \(threads) thread(s)")
        }
        Parallel.configure(threads: 1)
    }

    /// The check above can fail: cutting the same forward product into blocks of 16 columns,
    /// whose pieces (40 x 16 x 1000 = 6.4e5) take a small kernel, gives other bits than the
    /// row cut, whose pieces take the level-3 path.
    func testAColumnCutOffTheLevel3PathWouldBeCaught() {
        let (n, inF, outF, width) = (Self.rows, Self.inputs, Self.outputs, 16)
        XCTAssertFalse(ChainGemm.takesLevel3Path(transposeB: true, m: n, n: width, k: inF))
        var stream = RandomStreams(seed: 8).stream("test/linear-cut-mutation")
        let a = (0..<(n * inF)).map { _ in stream.nextUniformFloat() * 2 - 1 }
        let b = (0..<(outF * inF)).map { _ in stream.nextUniformFloat() * 2 - 1 }
        var byRows = [Float](repeating: 0, count: n * outF), byColumns = byRows
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                byRows.withUnsafeMutableBufferPointer { c in
                    for r0 in stride(from: 0, to: n, by: Linear.rowBlock) {
                        let rows = min(Linear.rowBlock, n - r0)
                        BLAS.sgemm(transposeB: true, m: rows, n: outF, k: inF, a: a.baseAddress! + r0 * inF, lda: inF,
                                   b: b.baseAddress!, ldb: inF, beta: 0, c: c.baseAddress! + r0 * outF, ldc: outF)
                    }
                }
                byColumns.withUnsafeMutableBufferPointer { c in
                    for c0 in stride(from: 0, to: outF, by: width) {
                        let columns = min(width, outF - c0)
                        BLAS.sgemm(transposeB: true, m: n, n: columns, k: inF, a: a.baseAddress!, lda: inF,
                                   b: b.baseAddress! + c0 * inF, ldb: inF, beta: 0, c: c.baseAddress! + c0, ldc: outF)
                    }
                }
            }
        }
        XCTAssertNotEqual(byRows.map(\.bitPattern), byColumns.map(\.bitPattern))
    }

    static func sameBytes(_ t: Tensor, _ expected: [Float]) -> Bool {
        t.count == expected.count
            && expected.withUnsafeBytes { memcmp($0.baseAddress!, t.pointer, $0.count) == 0 }
    }
}
