import DatasetKit
import XCTest

/// Relevance by overlap against values worked out by hand.
final class CropOverlapTests: XCTestCase {
    /// A 10 x 10 square at the origin.
    let a = CropWindow(top: 0, left: 0, height: 10, width: 10)

    func testIntersectionOverUnionByHand() {
        let iou = CropOverlap.intersectionOverUnion
        // Shifted by (5, 5): a 5 x 5 intersection, 25 / (100 + 100 - 25) = 1/7.
        XCTAssertEqual(iou.relevance(a, CropWindow(top: 5, left: 5, height: 10, width: 10)), Float(1.0 / 7.0))
        // A 4 x 4 square inside: 16 / 100.
        XCTAssertEqual(iou.relevance(a, CropWindow(top: 2, left: 3, height: 4, width: 4)), 0.16)
        // A 6 x 6 square at (0, 8): rows 0..<6 and columns 8..<10 overlap, 12 / (100 + 36 - 12) = 12/124.
        XCTAssertEqual(iou.relevance(a, CropWindow(top: 0, left: 8, height: 6, width: 6)), Float(12.0 / 124.0))
        // Touching edges share no pixel.
        XCTAssertEqual(iou.relevance(a, CropWindow(top: 10, left: 0, height: 10, width: 10)), 0)
        XCTAssertEqual(iou.relevance(a, CropWindow(top: 0, left: 30, height: 10, width: 10)), 0)
        XCTAssertEqual(iou.relevance(a, a), 1)
    }

    func testIntersectionOverSmallerByHand() {
        let ios = CropOverlap.intersectionOverSmaller
        XCTAssertEqual(ios.relevance(a, CropWindow(top: 5, left: 5, height: 10, width: 10)), 0.25)
        // Containment is 1 whatever the scale.
        XCTAssertEqual(ios.relevance(a, CropWindow(top: 2, left: 3, height: 4, width: 4)), 1)
        XCTAssertEqual(ios.relevance(a, CropWindow(top: 0, left: 8, height: 6, width: 6)), Float(12.0 / 36.0))
        XCTAssertEqual(ios.relevance(a, CropWindow(top: 10, left: 10, height: 3, width: 3)), 0)
    }

    func testSymmetric() {
        let b = CropWindow(top: 3, left: 7, height: 9, width: 9)
        for overlap in CropOverlap.allCases {
            XCTAssertEqual(overlap.relevance(a, b), overlap.relevance(b, a), overlap.rawValue)
        }
    }
}
