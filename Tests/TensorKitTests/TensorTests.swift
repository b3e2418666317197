import TensorKit
import XCTest

final class TensorTests: XCTestCase {
    func testShapeCountAndAlignment() {
        let t = Tensor(zeros: [2, 3, 4, 5])
        XCTAssertEqual(t.count, 120)
        XCTAssertEqual(Int(bitPattern: t.pointer) % 64, 0)
        XCTAssertTrue(t.array.allSatisfy { $0 == 0 })
        XCTAssertEqual(Tensor(zeros: []).count, 1, "a scalar has one element")
    }

    func testViewsShareStorageAndKeepTheBaseAlive() {
        var base: Tensor? = Tensor(shape: [6], values: [1, 2, 3, 4, 5, 6])
        let view = Tensor(viewing: base!, offset: 2, shape: [2, 2])
        base = nil
        XCTAssertEqual(view.array, [3, 4, 5, 6])
        view[flat: 0] = 30
        XCTAssertEqual(view[flat: 0], 30)
        XCTAssertTrue(view.isView)
    }

    func testReusingKeepsStorageWhenItFits() {
        let t = Tensor(zeros: [4, 8])
        let same = Tensor.reusing(t, shape: [2, 8])
        XCTAssertTrue(same === t)
        XCTAssertEqual(same.shape, [2, 8])
        let bigger = Tensor.reusing(t, shape: [5, 8])
        XCTAssertFalse(bigger === t)
    }
}
