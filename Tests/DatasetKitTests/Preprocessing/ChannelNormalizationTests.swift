import DatasetKit
import XCTest

final class ChannelNormalizationTests: XCTestCase {
    func testSubtractsMeanAndDividesByStdPerChannel() throws {
        let image = PlanarImage(channels: 2, height: 1, width: 3, pixels: [0, 0.5, 1, 0.2, 0.4, 0.6])
        let norm = try ChannelNormalization(mean: [0.5, 0.4], std: [0.25, 0.2])
        let out = try norm.apply(to: image)
        let expected: [Float] = [-2, 0, 2, -1, 0, 1]
        for (a, b) in zip(out.pixels, expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        XCTAssertEqual(out.pixels[0], (0 - 0.5) / 0.25, "exactly (x - mean) / std")
    }

    func testValidation() {
        func parameterName(_ body: () throws -> Void) -> String? {
            do { try body() } catch PreprocessingError.invalidParameter(let name, _, _) { return name } catch {}
            return nil
        }
        XCTAssertEqual(parameterName { _ = try ChannelNormalization(mean: [0, 0], std: [1]) }, "normalization")
        XCTAssertEqual(parameterName { _ = try ChannelNormalization(mean: [], std: []) }, "normalization")
        XCTAssertEqual(parameterName { _ = try ChannelNormalization(mean: [0], std: [0]) }, "normalization.std")
        XCTAssertEqual(parameterName { _ = try ChannelNormalization(mean: [0], std: [-1]) }, "normalization.std")
        XCTAssertEqual(parameterName { _ = try ChannelNormalization(mean: [.nan], std: [1]) }, "normalization.mean")
    }

    func testChannelMismatchNamesTheImage() throws {
        let norm = try ChannelNormalization(mean: [0, 0, 0], std: [1, 1, 1])
        XCTAssertThrowsError(try norm.apply(to: PlanarImage(channels: 1, height: 1, width: 1), identifier: "a/b.png")) {
            XCTAssertEqual($0 as? PreprocessingError, .channelMismatch(identifier: "a/b.png", expected: 3, actual: 1))
            XCTAssertTrue("\($0)".contains("a/b.png"))
        }
    }
}
