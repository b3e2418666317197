import DatasetKit
import TensorKit
import XCTest

/// Where crops lie: the documented draws, in range, stable under more crops.
final class PhotoCropLayoutTests: XCTestCase {
    let photo = Photograph(package: "mate-backgrounds", path: "nature/Aqua.jpg", caption: "")

    func windows(_ count: Int, width: Int = 2560, height: Int = 1600, seed: UInt64 = 1,
                 photograph: Photograph? = nil) -> [CropWindow] {
        PhotoCropLayout.windows(width: width, height: height, count: count, minScale: 0.3, maxScale: 0.9, seed: seed,
                                photograph: photograph ?? photo)!
    }

    func testSideRange() {
        XCTAssertEqual(PhotoCropLayout.sides(width: 2560, height: 1600, minScale: 0.3, maxScale: 0.9), 480...1440)
        // Portrait: the shorter side is the width; ceil(0.25 * 1203) = 301, floor(0.5 * 1203) = 601.
        XCTAssertEqual(PhotoCropLayout.sides(width: 1203, height: 1600, minScale: 0.25, maxScale: 0.5), 301...601)
        XCTAssertEqual(PhotoCropLayout.sides(width: 3, height: 2, minScale: 0.1, maxScale: 0.2), nil)
        XCTAssertEqual(PhotoCropLayout.sides(width: 80, height: 100, minScale: 0.5625, maxScale: 0.5625), 45...45)
    }

    /// Side, then top, then left, from `photo-crops/<identifier>` of the crop seed.
    func testDrawOrder() {
        var stream = RandomStream(seed: 7, name: "photo-crops/mate-backgrounds/nature/Aqua.jpg")
        var expected: [CropWindow] = []
        for _ in 0..<3 {
            let side = 480 + stream.nextInt(below: 961)
            let top = stream.nextInt(below: 1600 - side + 1)
            let left = stream.nextInt(below: 2560 - side + 1)
            expected.append(CropWindow(top: top, left: left, height: side, width: side))
        }
        XCTAssertEqual(windows(3, seed: 7), expected)
    }

    func testWindowsAreSquaresInsideThePhotograph() {
        for w in windows(200) {
            XCTAssertEqual(w.height, w.width)
            XCTAssertTrue((480...1440).contains(w.width), "\(w)")
            XCTAssertTrue(w.top >= 0 && w.left >= 0 && w.top + w.height <= 1600 && w.left + w.width <= 2560, "\(w)")
        }
    }

    func testMoreCropsAppendAndOtherSeedsOrPhotographsDiffer() {
        XCTAssertEqual(Array(windows(12).prefix(5)), windows(5))
        XCTAssertEqual(windows(5), windows(5))
        XCTAssertNotEqual(windows(5), windows(5, seed: 2))
        XCTAssertNotEqual(windows(5), windows(5, photograph: Photograph(package: "mate-backgrounds",
                                                                          path: "nature/Dune.jpg", caption: "")))
    }
}
