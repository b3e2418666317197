import DatasetKit
import Foundation
import TensorKit
import XCTest

/// The training recipes beyond the paper (random resized crops, colour jitter) as the
/// pipeline uses them: off, a draw takes exactly the numbers it took before they existed;
/// on, they draw strictly after the paper's draws, never touch evaluation, render
/// deterministically whatever the thread count, and reject bad settings with typed errors.
final class AugmentationRecipesTests: XCTestCase {
    override func tearDown() {
        Parallel.configure(threads: 1)
        super.tearDown()
    }

    static let normalization = try! ChannelNormalization(mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25])

    func paperAugmentation(shiftFill: EdgeFill = .replicate) throws -> Augmentation {
        try Augmentation(resize: Resize(height: 8, width: 8), maxShift: 2, shiftFill: shiftFill, flip: true,
                         normalization: Self.normalization)
    }

    func recipesAugmentation() throws -> Augmentation {
        try Augmentation(resize: Resize(height: 8, width: 8), maxShift: 2, flip: true, normalization: Self.normalization,
                         resizedCrop: RandomResizedCrop(scale: 0.3...1),
                         colourJitter: ColourJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1))
    }

    func testWithoutTheRecipesADrawTakesTheNumbersItAlwaysTook() throws {
        let augmentation = try paperAugmentation()
        for slot in 0..<50 {
            var stream = RandomStream(seed: 9, name: "augment/0/\(slot)")
            var expected = stream
            let draw = try augmentation.draw(forHeight: 8, width: 8, stream: &stream)
            // The draws of `Augmentation` before the recipes existed: dx, dy, then the flip.
            let dx = expected.nextInt(below: 5) - 2, dy = expected.nextInt(below: 5) - 2
            let flipped = expected.nextBernoulli(0.5)
            XCTAssertEqual(draw, AugmentationDraw(crop: CropWindow(top: 0, left: 0, height: 8, width: 8),
                                                  shift: PixelShift(dx: dx, dy: dy), flipped: flipped))
            XCTAssertNil(draw.resizedCrop)
            XCTAssertNil(draw.colour)
            XCTAssertEqual(stream, expected, "slot \(slot): nothing more is drawn")
        }
    }

    func testTheRecipesDrawStrictlyAfterThePapersDraws() throws {
        let paper = try paperAugmentation(), recipes = try recipesAugmentation()
        for slot in 0..<50 {
            var withRecipes = RandomStream(seed: 9, name: "augment/3/\(slot)")
            var without = withRecipes
            let drawn = try recipes.draw(forHeight: 8, width: 8, stream: &withRecipes)
            let paperDraw = try paper.draw(forHeight: 8, width: 8, stream: &without)
            XCTAssertEqual(drawn.crop, paperDraw.crop)
            XCTAssertEqual(drawn.shift, paperDraw.shift)
            XCTAssertEqual(drawn.flipped, paperDraw.flipped)
            // The rest of the stream: the resized crop's window, then the colour jitter.
            XCTAssertEqual(drawn.resizedCrop, recipes.resizedCrop!.draw(height: 8, width: 8, stream: &without))
            XCTAssertEqual(drawn.colour, recipes.colourJitter!.draw(stream: &without))
            XCTAssertEqual(withRecipes, without)
        }
    }

    func testEvaluationIgnoresTheRecipes() throws {
        let image = PlanarImage(channels: 3, height: 11, width: 9, pixels: (0..<297).map { Float($0 % 17) / 16 })
        let recipes = try recipesAugmentation()
        XCTAssertEqual(try recipes.evaluationDraw(forHeight: 8, width: 8).resizedCrop, nil)
        XCTAssertEqual(try recipes.evaluationDraw(forHeight: 8, width: 8).colour, nil)
        XCTAssertEqual(try recipes.applyForEvaluation(image), try paperAugmentation().applyForEvaluation(image))
    }

    /// The recipes' kernel with nothing to resample or jitter is the paper's kernel, bit for
    /// bit, for every shift, flip and fill.
    func testTheRecipeKernelShiftsAndFlipsAsThePaperKernel() throws {
        let image = PlanarImage(channels: 3, height: 7, width: 6, pixels: (0..<126).map { Float(($0 * 29) % 31) / 30 })
        for fill in EdgeFill.allCases {
            let augmentation = try paperAugmentation(shiftFill: fill)
            for dy in -3...3 {
                for dx in -3...3 {
                    for flipped in [false, true] {
                        let crop = CropWindow(top: 0, left: 0, height: 7, width: 6)
                        let plain = AugmentationDraw(crop: crop, shift: PixelShift(dx: dx, dy: dy), flipped: flipped)
                        var recipes = plain
                        recipes.colour = ColourJitterDraw(steps: [])
                        let whole = plain.crop
                        var resized = plain
                        resized.resizedCrop = whole
                        let expected = try augmentation.render(image, plain)
                        XCTAssertEqual(try augmentation.render(image, recipes), expected, "\(fill) \(dx) \(dy) \(flipped)")
                        XCTAssertEqual(try augmentation.render(image, resized), expected, "\(fill) \(dx) \(dy) \(flipped)")
                    }
                }
            }
        }
    }

    func testColourJitterDrawsItsFactorsInRangeAndInAnyOrder() throws {
        let jitter = try ColourJitter(brightness: 0.3, saturation: 1.5, hue: 0.2)
        var stream = RandomStream(seed: 1, name: "jitter")
        var orders = Set<[ColourJitter.Operation]>()
        for _ in 0..<300 {
            let draw = jitter.draw(stream: &stream)
            XCTAssertEqual(Set(draw.steps.map(\.operation)), [.brightness, .saturation, .hue], "contrast is off")
            orders.insert(draw.steps.map(\.operation))
            for step in draw.steps {
                switch step.operation {
                case .brightness: XCTAssertTrue((0.7...1.3).contains(step.factor))
                case .saturation: XCTAssertTrue((0...2.5).contains(step.factor))
                case .hue: XCTAssertTrue((-0.2...0.2).contains(step.factor))
                case .contrast: XCTFail("contrast is off")
                }
            }
        }
        XCTAssertEqual(orders.count, 6, "every order of three operations occurs")
        XCTAssertTrue(try ColourJitter().isIdentity)
    }

    func testResizedCropWindowsFitAndCoverTheScaleRange() throws {
        let crop = try RandomResizedCrop(scale: 0.25...0.5, ratio: 0.5...2)
        var stream = RandomStream(seed: 2, name: "crop")
        for _ in 0..<500 {
            let w = crop.draw(height: 40, width: 30, stream: &stream)
            XCTAssertTrue(w.top >= 0 && w.left >= 0 && w.top + w.height <= 40 && w.left + w.width <= 30, "\(w)")
            let area = Double(w.height * w.width) / 1200
            XCTAssertTrue((0.2...0.56).contains(area), "area share \(area) of \(w)")
        }
    }

    func testBatchesWithTheRecipesAreBitIdenticalWithOneOrTwoThreads() throws {
        func batch(threads: Int) throws -> [Float] {
            Parallel.configure(threads: threads)
            let assembler = BatchAssembler(dataset: AssemblerTestDataset(count: 10), augmentation: try recipesAugmentation(),
                                           streams: RandomStreams(seed: 4), cacheImages: true)
            let tensor = Tensor(zeros: [9, 3, 8, 8])
            try assembler.fill(tensor, indices: [0, 3, 1, 4, 1, 5, 9, 2, 6], step: 7)
            XCTAssertTrue(assembler.lastDraws.allSatisfy { $0.resizedCrop != nil && $0.colour != nil })
            return tensor.array
        }
        let one = try batch(threads: 1)
        XCTAssertEqual(try batch(threads: 2), one)
        XCTAssertTrue(one.allSatisfy(\.isFinite))
    }

    func testBadSettingsAreTypedErrors() {
        func name(_ body: () throws -> Any) -> String? {
            do {
                _ = try body()
                return nil
            } catch PreprocessingError.invalidParameter(let name, _, _) {
                return name
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(name { try RandomResizedCrop(scale: 0...1) }, "resizedCrop.scale")
        XCTAssertEqual(name { try RandomResizedCrop(scale: 0.5...1.5) }, "resizedCrop.scale")
        XCTAssertEqual(name { try RandomResizedCrop(ratio: 0...1) }, "resizedCrop.ratio")
        XCTAssertEqual(name { try ColourJitter(brightness: -0.1) }, "colourJitter.brightness")
        XCTAssertEqual(name { try ColourJitter(contrast: .nan) }, "colourJitter.contrast")
        XCTAssertEqual(name { try ColourJitter(hue: 0.6) }, "colourJitter.hue")
        XCTAssertEqual(name {
            try Augmentation(crop: .init(height: 4, width: 4, placement: .random), resizedCrop: RandomResizedCrop())
        }, "resizedCrop")
        // Colour jitter needs 1 or 3 channels.
        let twoChannels = PlanarImage(channels: 2, height: 4, width: 4, value: 0.5)
        let augmentation = try! Augmentation(colourJitter: ColourJitter(brightness: 0.2))
        var stream = RandomStream(seed: 1, name: "x")
        XCTAssertThrowsError(try augmentation.apply(twoChannels, stream: &stream)) { error in
            XCTAssertEqual(error as? PreprocessingError, .channelMismatch(identifier: "image", expected: 3, actual: 2))
        }
    }
}
