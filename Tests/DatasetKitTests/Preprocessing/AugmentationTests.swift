import DatasetKit
import TensorKit
import XCTest

/// The fused augmentation pass against the composition of the separate operations.
final class AugmentationTests: XCTestCase {
    /// 3 channels, 7x9, distinct values.
    let image = PlanarImage(channels: 3, height: 7, width: 9, pixels: (0..<189).map { Float($0) / 189 })
    let normalization = try! ChannelNormalization(mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3])

    /// normalise(flip(shift(crop(prepared)))), one operation at a time.
    func composed(_ augmentation: Augmentation, _ prepared: PlanarImage, _ draw: AugmentationDraw) throws -> PlanarImage {
        var out = try prepared.cropped(to: draw.crop).shifted(by: draw.shift, fill: augmentation.shiftFill)
        if draw.flipped { out = out.horizontallyFlipped() }
        return try augmentation.normalization?.apply(to: out) ?? out
    }

    func testFusedRenderEqualsComposition() throws {
        for fill in EdgeFill.allCases {
            let augmentation = try Augmentation(crop: .init(height: 5, width: 6, placement: .random), maxShift: 3,
                                                shiftFill: fill, flip: true, normalization: normalization)
            var stream = RandomStream(seed: 5, name: "test/augment")
            var flips = 0
            for _ in 0..<60 {
                let draw = try augmentation.draw(forHeight: 7, width: 9, stream: &stream)
                flips += draw.flipped ? 1 : 0
                XCTAssertEqual(try augmentation.render(image, draw), try composed(augmentation, image, draw), "\(fill) \(draw)")
            }
            XCTAssertTrue((10...50).contains(flips), "flips \(flips) of 60")
        }
        // Shifts larger than the crop are well defined too.
        let big = try Augmentation(crop: .init(height: 4, width: 4, placement: .centre), maxShift: 9)
        for dx in [-9, -4, 4, 9] {
            let draw = AugmentationDraw(crop: CropWindow(top: 1, left: 2, height: 4, width: 4),
                                        shift: PixelShift(dx: dx, dy: -dx), flipped: dx > 0)
            XCTAssertEqual(try big.render(image, draw), try composed(big, image, draw))
        }
    }

    func testApplyIsReproducibleAndEvaluationIsDeterministic() throws {
        let augmentation = try Augmentation(resize: Resize(height: 6, width: 8), crop: .init(height: 4, width: 4, placement: .random),
                                            maxShift: 1, flip: true, normalization: normalization)
        var a = RandomStream(seed: 9, name: "augment/0/0"), b = a
        XCTAssertEqual(try augmentation.apply(image, stream: &a), try augmentation.apply(image, stream: &b))
        let evaluation = try augmentation.applyForEvaluation(image)
        let prepared = try Resize(height: 6, width: 8).apply(image)
        let expected = try normalization.apply(to: prepared.cropped(to: CropWindow(top: 1, left: 2, height: 4, width: 4)))
        XCTAssertEqual(evaluation, expected)
    }

    func testDefaultsDrawNothingAndKeepTheImage() throws {
        let plain = try Augmentation()
        var stream = RandomStream(seed: 1, name: "x")
        let before = stream
        XCTAssertEqual(try plain.apply(image, stream: &stream), image)
        XCTAssertEqual(stream, before, "no crop, shift or flip: no draws")
        XCTAssertFalse(plain.flip)
        XCTAssertEqual(plain.shiftFill, .replicate)
    }

    func testValidation() {
        XCTAssertThrowsError(try Augmentation(maxShift: -1))
        XCTAssertThrowsError(try Augmentation(crop: .init(height: 0, width: 3, placement: .centre)))
        XCTAssertThrowsError(try Augmentation(resize: Resize(height: 4, width: 4), crop: .init(height: 5, width: 3, placement: .random)))
        let tooBig = try! Augmentation(crop: .init(height: 8, width: 3, placement: .random))
        var stream = RandomStream(seed: 1, name: "x")
        XCTAssertThrowsError(try tooBig.apply(image, stream: &stream)) {
            guard case PreprocessingError.cropOutsideImage = $0 else { return XCTFail("\($0)") }
        }
        let oneChannel = PlanarImage(channels: 1, height: 7, width: 9)
        XCTAssertThrowsError(try Augmentation(normalization: normalization).applyForEvaluation(oneChannel))
    }
}
