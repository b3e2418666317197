import DatasetKit
import Foundation
import Imaging
import TensorKit
import XCTest

/// Images 3x9x11 with distinct pixels; `failing` indices throw an `ImageError` naming a
/// file; counts `image(at:)` calls.
final class AssemblerTestDataset: ImageDataset, @unchecked Sendable {
    let count: Int
    let failing: Set<Int>
    private let lock = NSLock()
    private var loads = 0

    init(count: Int, failing: Set<Int> = []) { self.count = count; self.failing = failing }

    var loadCount: Int { lock.withLock { loads } }
    var kind: String { "pattern" }
    var categoryNames: [String] { ["a", "b"] }
    func category(of index: Int) -> Int { index % 2 }
    func relevance(_ a: Int, _ b: Int) -> Float { category(of: a) == category(of: b) ? 1 : 0 }
    func identifier(of index: Int) -> String { "\(categoryNames[category(of: index)])/image\(index).png" }
    func image(at index: Int) throws -> PlanarImage {
        lock.withLock { loads += 1 }
        if failing.contains(index) { throw ImageError.corruptPNG(path: identifier(of: index), message: "bad CRC") }
        let pixels = (0..<(3 * 9 * 11)).map { i in Float((i * 37 + index * 101) % 256) / 255 }
        return PlanarImage(channels: 3, height: 9, width: 11, pixels: pixels)
    }
}

final class BatchAssemblerTests: XCTestCase {
    let indices = [3, 1, 4, 1, 5, 9, 2]
    let streams = RandomStreams(seed: 42)

    func makeAugmentation() throws -> Augmentation {
        try Augmentation(resize: Resize(height: 8, width: 8), crop: .init(height: 6, width: 6, placement: .random),
                         maxShift: 1, flip: true,
                         normalization: ChannelNormalization(mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25]))
    }

    override func tearDown() {
        Parallel.configure(threads: 1)
        super.tearDown()
    }

    func batch(threads: Int, cache: Bool, step: Int = 5, dataset: AssemblerTestDataset = AssemblerTestDataset(count: 10)) throws -> [Float] {
        Parallel.configure(threads: threads)
        let assembler = BatchAssembler(dataset: dataset, augmentation: try makeAugmentation(), streams: streams,
                                       cacheImages: cache)
        let tensor = Tensor(zeros: [indices.count, 3, 6, 6])
        try assembler.fill(tensor, indices: indices, step: step)
        return tensor.array
    }

    func testBitIdenticalWithOneOrTwoThreadsWithAndWithoutCache() throws {
        let reference = try batch(threads: 1, cache: false)
        XCTAssertEqual(try batch(threads: 2, cache: false), reference)
        XCTAssertEqual(try batch(threads: 1, cache: true), reference)
        XCTAssertEqual(try batch(threads: 2, cache: true), reference)
        XCTAssertNotEqual(try batch(threads: 2, cache: true, step: 6), reference, "another step, other draws")
    }

    func testSlotUsesItsNamedStream() throws {
        Parallel.configure(threads: 2)
        let data = AssemblerTestDataset(count: 10)
        let augmentation = try makeAugmentation()
        let assembler = BatchAssembler(dataset: data, augmentation: augmentation, streams: streams)
        let tensor = Tensor(zeros: [indices.count, 3, 6, 6])
        try assembler.fill(tensor, indices: indices, step: 5)
        let values = tensor.array, slotSize = 3 * 6 * 6
        for (k, index) in indices.enumerated() {
            XCTAssertEqual(BatchAssembler.streamName(step: 5, slot: k), "augment/5/\(k)")
            var stream = streams.stream("augment/5/\(k)")
            XCTAssertEqual(assembler.lastDraws[k], try augmentation.draw(forHeight: 8, width: 8, stream: &stream))
            stream = streams.stream("augment/5/\(k)")
            let expected = try augmentation.apply(data.image(at: index), stream: &stream)
            XCTAssertEqual(Array(values[(k * slotSize)..<((k + 1) * slotSize)]), expected.pixels, "slot \(k)")
        }
        XCTAssertGreaterThan(Set(assembler.lastDraws.map { "\($0)" }).count, 1, "slots draw independently")
    }

    func testCacheLoadsEachImageOnce() throws {
        Parallel.configure(threads: 2)
        let data = AssemblerTestDataset(count: 10)
        let assembler = BatchAssembler(dataset: data, augmentation: try makeAugmentation(), streams: streams, cacheImages: true)
        let tensor = Tensor(zeros: [indices.count, 3, 6, 6])
        try assembler.fill(tensor, indices: indices, step: 0)
        try assembler.fill(tensor, indices: indices, step: 1)
        XCTAssertEqual(data.loadCount, 6, "six distinct images, loaded once")
        XCTAssertEqual(assembler.cachedImageCount, 6)
        XCTAssertEqual(assembler.cacheBytes, 6 * 3 * 8 * 8 * 4)

        let uncached = AssemblerTestDataset(count: 10)
        let plain = BatchAssembler(dataset: uncached, augmentation: try makeAugmentation(), streams: streams)
        try plain.fill(tensor, indices: indices, step: 0)
        try plain.fill(tensor, indices: indices, step: 1)
        XCTAssertEqual(uncached.loadCount, 12, "without a cache: six per batch (duplicates loaded once)")
        XCTAssertEqual(plain.cachedImageCount, 0)
    }

    func testEvaluationBatchIsDeterministic() throws {
        Parallel.configure(threads: 2)
        let data = AssemblerTestDataset(count: 10)
        let augmentation = try makeAugmentation()
        let assembler = BatchAssembler(dataset: data, augmentation: augmentation, streams: streams, cacheImages: true)
        let tensor = Tensor(zeros: [indices.count, 3, 6, 6])
        try assembler.fillForEvaluation(tensor, indices: indices)
        let expected = try indices.flatMap { try augmentation.applyForEvaluation(data.image(at: $0)).pixels }
        XCTAssertEqual(tensor.array, expected)
        XCTAssertTrue(assembler.lastDraws.allSatisfy { $0.shift == .none && !$0.flipped && $0.crop.top == 1 })
    }

    func testLoadingErrorIsCarriedOutOfTheWorkersWithTheFileName() throws {
        for threads in [1, 2] {
            Parallel.configure(threads: threads)
            let data = AssemblerTestDataset(count: 10, failing: [4, 9])
            let assembler = BatchAssembler(dataset: data, augmentation: try makeAugmentation(), streams: streams)
            let tensor = Tensor(zeros: [indices.count, 3, 6, 6])
            XCTAssertThrowsError(try assembler.fill(tensor, indices: indices, step: 0)) { error in
                guard let error = error as? DatasetImageError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.index, 4, "the earliest failing slot")
                XCTAssertEqual(error.identifier, "a/image4.png")
                XCTAssertEqual(error.underlying as? ImageError, .corruptPNG(path: "a/image4.png", message: "bad CRC"))
                XCTAssertTrue(error.description.contains("a/image4.png"), error.description)
            }
        }
    }

    func testWrongTensorShapeIsATypedError() throws {
        let assembler = BatchAssembler(dataset: AssemblerTestDataset(count: 10), augmentation: try makeAugmentation(), streams: streams)
        XCTAssertThrowsError(try assembler.fill(Tensor(zeros: [indices.count, 3, 5, 5]), indices: indices, step: 0)) {
            XCTAssertEqual($0 as? PreprocessingError, .batchShapeMismatch(expected: [7, 3, 6, 6], actual: [7, 3, 5, 5]))
        }
        XCTAssertThrowsError(try assembler.fill(Tensor(zeros: [indices.count, 1, 6, 6]), indices: indices, step: 0)) {
            XCTAssertEqual($0 as? PreprocessingError, .channelMismatch(identifier: "b/image3.png", expected: 1, actual: 3))
        }
        XCTAssertThrowsError(try assembler.fill(Tensor(zeros: [6, 3, 6, 6]), indices: indices, step: 0)) {
            guard case PreprocessingError.batchShapeMismatch = $0 else { return XCTFail("\($0)") }
        }
    }

    func testThroughputMeasurementRunsAndRestoresThreads() throws {
        Parallel.configure(threads: 1)
        let result = try DataThroughput.measure(dataset: AssemblerTestDataset(count: 10), augmentation: try makeAugmentation(),
                                                batchSize: 4, batches: 3, threads: 2)
        XCTAssertGreaterThan(result.imagesPerSecond, 0)
        XCTAssertGreaterThan(try XCTUnwrap(result.coldImagesPerSecond), 0)
        XCTAssertEqual(Parallel.threads, 1)
    }
}
