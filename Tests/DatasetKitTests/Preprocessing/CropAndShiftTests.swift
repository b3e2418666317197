import DatasetKit
import TensorKit
import XCTest

/// Crops, pixel shifts and flips on small images with known pixels.
final class CropAndShiftTests: XCTestCase {
    /// One channel, 3x4, value = 10 * row + column.
    let grid = PlanarImage(channels: 1, height: 3, width: 4, pixels: [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23])

    func testCentreCrop() throws {
        XCTAssertEqual(CropWindow.centre(height: 1, width: 2, imageHeight: 3, imageWidth: 4),
                       CropWindow(top: 1, left: 1, height: 1, width: 2))
        // Odd difference: the extra column stays at the right.
        XCTAssertEqual(CropWindow.centre(height: 2, width: 3, imageHeight: 3, imageWidth: 4),
                       CropWindow(top: 0, left: 0, height: 2, width: 3))
        let crop = try grid.cropped(to: .centre(height: 1, width: 2, imageHeight: 3, imageWidth: 4))
        XCTAssertEqual(crop.pixels, [11, 12])
        let twoChannels = PlanarImage(channels: 2, height: 3, width: 4, pixels: grid.pixels + grid.pixels.map { $0 + 100 })
        XCTAssertEqual(try twoChannels.cropped(to: CropWindow(top: 1, left: 2, height: 2, width: 2)).pixels,
                       [12, 13, 22, 23, 112, 113, 122, 123])
    }

    func testCropOutsideTheImageIsATypedError() {
        let window = CropWindow(top: 2, left: 0, height: 2, width: 2)
        XCTAssertThrowsError(try grid.cropped(to: window)) { error in
            XCTAssertEqual(error as? PreprocessingError, .cropOutsideImage(window: window, imageHeight: 3, imageWidth: 4))
        }
    }

    func testRandomCropCoversEveryOffset() {
        var stream = RandomStream(seed: 7, name: "test/crop")
        var seen = Set<[Int]>()
        for _ in 0..<400 {
            let w = CropWindow.random(height: 2, width: 2, imageHeight: 5, imageWidth: 4, stream: &stream)
            XCTAssertTrue((0...3).contains(w.top) && (0...2).contains(w.left), "\(w)")
            seen.insert([w.top, w.left])
        }
        XCTAssertEqual(seen.count, 4 * 3)
    }

    func testShiftReplicatesTheEdge() {
        // Content moves right by 1 and up by 1; the uncovered left column and bottom row
        // repeat the nearest edge pixel.
        let shifted = grid.shifted(by: PixelShift(dx: 1, dy: -1))
        XCTAssertEqual(shifted.pixels, [10, 10, 11, 12,
                                        20, 20, 21, 22,
                                        20, 20, 21, 22])
        let left = grid.shifted(by: PixelShift(dx: -2, dy: 1))
        XCTAssertEqual(left.pixels, [2, 3, 3, 3,
                                     2, 3, 3, 3,
                                     12, 13, 13, 13])
    }

    func testShiftWithZeroFill() {
        let shifted = grid.shifted(by: PixelShift(dx: 1, dy: -1), fill: .zero)
        XCTAssertEqual(shifted.pixels, [0, 10, 11, 12,
                                        0, 20, 21, 22,
                                        0, 0, 0, 0])
        XCTAssertEqual(grid.shifted(by: .none, fill: .zero), grid)
        XCTAssertEqual(grid.shifted(by: PixelShift(dx: 4, dy: 0), fill: .zero).pixels, [Float](repeating: 0, count: 12))
    }

    func testHorizontalFlip() {
        XCTAssertEqual(grid.horizontallyFlipped().pixels, [3, 2, 1, 0, 13, 12, 11, 10, 23, 22, 21, 20])
        XCTAssertEqual(grid.horizontallyFlipped().horizontallyFlipped(), grid)
    }

    /// Each of the (2m+1)^2 shifts appears, with frequencies consistent with uniform:
    /// chi-square with 24 degrees of freedom below 51.18 (p = 0.001) at a fixed seed.
    func testShiftDistributionIsUniform() {
        let maxShift = 2, side = 2 * maxShift + 1, draws = 5000
        var counts = [Int](repeating: 0, count: side * side)
        var stream = RandomStream(seed: 11, name: "test/shift")
        for _ in 0..<draws {
            let s = PixelShift.random(maxShift: maxShift, stream: &stream)
            XCTAssertTrue((-maxShift...maxShift).contains(s.dx) && (-maxShift...maxShift).contains(s.dy))
            counts[(s.dy + maxShift) * side + s.dx + maxShift] += 1
        }
        XCTAssertFalse(counts.contains(0), "every offset appears: \(counts)")
        let expected = Double(draws) / Double(counts.count)
        let chiSquare = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        XCTAssertLessThan(chiSquare, 51.18, "counts \(counts)")
        print("pixel shift chi-square (24 dof): \(chiSquare)")
    }

    func testNoShiftDrawsNothing() {
        var stream = RandomStream(seed: 3, name: "test/none")
        let before = stream
        XCTAssertEqual(PixelShift.random(maxShift: 0, stream: &stream), .none)
        XCTAssertEqual(stream, before)
    }
}
