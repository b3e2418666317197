import Features
import XCTest

/// The feature maps OASIS can start from: the identity leaves vectors alone; the square root
/// turns the dot product of two L1-normalised histograms into their Bhattacharyya
/// coefficient, and refuses a negative or NaN component, naming the representation.
final class FeatureMapTests: XCTestCase {
    func testIdentityLeavesTheVectorsAlone() throws {
        let values: [Float] = [0.5, -2, 0, 3.25]
        XCTAssertEqual(try FeatureMap.identity.apply(values, what: "x"), values)
    }

    func testSquareRootOfEachComponent() throws {
        XCTAssertEqual(try FeatureMap.squareRoot.apply([0, 0.25, 4, 1e-6], what: "x"), [0, 0.5, 2, 1e-3])
    }

    /// For p and q that sum to 1: sqrt(p) . sqrt(q) = 1 - H^2 / 2 with H^2 = sum (sqrt p - sqrt q)^2,
    /// so OASIS's identity start ranks like the Hellinger distance, not like the raw dot product.
    func testDotProductOfMappedHistogramsIsTheBhattacharyyaCoefficient() throws {
        let p: [Float] = [0.7, 0.2, 0.1, 0], q: [Float] = [0.1, 0.3, 0.3, 0.3]
        let sp = try FeatureMap.squareRoot.apply(p, what: "p"), sq = try FeatureMap.squareRoot.apply(q, what: "q")
        let dot = zip(sp, sq).map { $0 * $1 }.reduce(0, +)
        let hellingerSquared = zip(sp, sq).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
        XCTAssertEqual(dot, 1 - hellingerSquared / 2, accuracy: 1e-6)
        XCTAssertEqual(dot, Float(0.7 * 0.1).squareRoot() + Float(0.2 * 0.3).squareRoot() + Float(0.1 * 0.3).squareRoot(),
                       accuracy: 1e-6)
        // The raw dot product would call a histogram with one dominant bin closer to itself
        // shifted than to a flatter one that shares its support; the mapped one does not.
        let peaked: [Float] = [0.9, 0.1, 0, 0], shifted: [Float] = [0, 0.1, 0.9, 0], flat: [Float] = [0.5, 0.5, 0, 0]
        func mappedDot(_ a: [Float], _ b: [Float]) throws -> Float {
            zip(try FeatureMap.squareRoot.apply(a, what: "a"), try FeatureMap.squareRoot.apply(b, what: "b"))
                .map { $0 * $1 }.reduce(0, +)
        }
        XCTAssertGreaterThan(try mappedDot(peaked, flat), try mappedDot(peaked, shifted))
    }

    func testANegativeOrNaNComponentIsAnErrorNamingTheRepresentation() {
        for bad: Float in [-0.5, .nan] {
            XCTAssertThrowsError(try FeatureMap.squareRoot.apply([0.1, 0.2, bad], what: "o's base r")) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("o's base r"), text)
                XCTAssertTrue(text.contains("component 2"), text)
            }
        }
    }
}
