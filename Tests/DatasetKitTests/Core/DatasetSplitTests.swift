import DatasetKit
import Imaging
import TensorKit
import XCTest

/// A dataset of constant images for tests: `sizes[c]` images in category c, relevance 1
/// inside a category.
struct ToyDataset: ImageDataset {
    let sizes: [Int]
    var kind: String { "toy" }
    var count: Int { sizes.reduce(0, +) }
    var categoryNames: [String] { sizes.indices.map { "c\($0)" } }
    func category(of index: Int) -> Int {
        var i = index
        for (c, n) in sizes.enumerated() { if i < n { return c }; i -= n }
        preconditionFailure("index \(index) out of range")
    }
    func relevance(_ a: Int, _ b: Int) -> Float { category(of: a) == category(of: b) ? 1 : 0 }
    func image(at index: Int) throws -> PlanarImage { PlanarImage(channels: 3, height: 2, width: 2, value: Float(index)) }
    func identifier(of index: Int) -> String { "toy/\(index)" }
}

final class DatasetSplitTests: XCTestCase {
    func testSplitIsStratifiedDisjointAndDeterministic() {
        let data = ToyDataset(sizes: [10, 1, 7, 2])
        let split = DatasetSplit(dataset: data, testFraction: 0.3, streams: RandomStreams(seed: 1))
        XCTAssertEqual(Set(split.train).intersection(split.test), [])
        XCTAssertEqual((split.train + split.test).sorted(), Array(0..<data.count))
        let testPerCategory = data.membersByCategory().map { Set($0).intersection(split.test).count }
        XCTAssertEqual(testPerCategory, [3, 0, 2, 1], "round(0.3 n), at least one and one left for training")
        XCTAssertEqual(split, DatasetSplit(dataset: data, testFraction: 0.3, streams: RandomStreams(seed: 1)))
        XCTAssertNotEqual(split, DatasetSplit(dataset: data, testFraction: 0.3, streams: RandomStreams(seed: 2)))
    }

    func testValidationIsCarvedFromTrainingAndLeavesTheTestSideAlone() {
        let data = ToyDataset(sizes: [10, 1, 7, 2, 3])
        let streams = RandomStreams(seed: 1)
        let twoWay = DatasetSplit(dataset: data, testFraction: 0.3, streams: streams)
        XCTAssertEqual(twoWay.validation, [])
        XCTAssertEqual(DatasetSplit(dataset: data, testFraction: 0.3, validationFraction: 0, streams: streams), twoWay)

        let split = DatasetSplit(dataset: data, testFraction: 0.3, validationFraction: 0.2, streams: streams)
        XCTAssertEqual(split.test, twoWay.test, "the test side does not move")
        XCTAssertEqual((split.train + split.validation).sorted(), twoWay.train)
        XCTAssertEqual(Set(split.train).intersection(split.validation), [])
        let members = data.membersByCategory()
        XCTAssertEqual(members.map { Set($0).intersection(split.validation).count }, [2, 0, 1, 0, 1],
                       "round(0.2 n), at least one when two non-test images remain, one always left for training")
        XCTAssertEqual(members.map { Set($0).intersection(split.train).count }, [5, 1, 4, 1, 1])
        XCTAssertEqual(split, DatasetSplit(dataset: data, testFraction: 0.3, validationFraction: 0.2, streams: streams))
    }

    func testShuffleIsAPermutationAndPinned() {
        var s = RandomStream(seed: 4, name: "shuffle")
        var a = Array(0..<10)
        s.shuffle(&a)
        XCTAssertEqual(a.sorted(), Array(0..<10))
        var t = RandomStream(seed: 4, name: "shuffle")
        var b = Array(0..<10)
        t.shuffle(&b)
        XCTAssertEqual(a, b)
    }

    func testPlanarImageFromDecodedImage() {
        let gray = Image(width: 2, height: 1, channels: 1, pixels: [0, 255])
        let planar = PlanarImage(rgbFrom: gray)
        XCTAssertEqual(planar.channels, 3)
        XCTAssertEqual(planar.pixels, [0, 1, 0, 1, 0, 1])
        XCTAssertEqual(planar[2, 0, 1], 1)
    }
}
