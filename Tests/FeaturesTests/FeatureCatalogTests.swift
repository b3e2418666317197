import Features
import XCTest

final class FeatureCatalogTests: XCTestCase {
    func testEveryNameBuildsItsExtractorAndUnknownNamesAreErrors() throws {
        for name in FeatureCatalog.names {
            XCTAssertEqual(try FeatureCatalog.extractor(named: name).name, name)
        }
        XCTAssertEqual(try FeatureCatalog.extractor(named: "hog").dimension(height: 64, width: 64), 1764)
        XCTAssertThrowsError(try FeatureCatalog.extractor(named: "sift")) { error in
            guard case FeatureError.invalidParameter(let name, let value, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "feature"); XCTAssertEqual(value, "sift")
        }
        XCTAssertEqual(HandCraftedFeature.defaultDistance(for: try LocalBinaryPattern()), .chiSquare)
        XCTAssertEqual(HandCraftedFeature.defaultDistance(for: try HOG()), .l2)
    }
}
