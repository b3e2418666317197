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
        func rawDot(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { $0 * $1 }.reduce(0, +) }
        let p: [Float] = [0.7, 0.2, 0.1, 0], q: [Float] = [0.1, 0.3, 0.3, 0.3]
        let sp = try FeatureMap.squareRoot.apply(p, what: "p"), sq = try FeatureMap.squareRoot.apply(q, what: "q")
        let dot = rawDot(sp, sq)
        let hellingerSquared = zip(sp, sq).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
        XCTAssertEqual(dot, 1 - hellingerSquared / 2, accuracy: 1e-6)
        XCTAssertEqual(dot, Float(0.7 * 0.1).squareRoot() + Float(0.2 * 0.3).squareRoot() + Float(0.1 * 0.3).squareRoot(),
                       accuracy: 1e-6)
        // Where the raw dot product and chi-square disagree, the mapped dot product sides with
        // chi-square: against an even two-bin histogram, one bin alone has the larger raw dot
        // product, while a histogram spread like it over four bins is nearer by chi-square.
        let even: [Float] = [0.5, 0.5, 0, 0], oneBin: [Float] = [1, 0, 0, 0], spread: [Float] = [0.4, 0.4, 0.1, 0.1]
        func mappedDot(_ a: [Float], _ b: [Float]) throws -> Float {
            rawDot(try FeatureMap.squareRoot.apply(a, what: "a"), try FeatureMap.squareRoot.apply(b, what: "b"))
        }
        XCTAssertGreaterThan(rawDot(even, oneBin), rawDot(even, spread))
        XCTAssertLessThan(FeatureDistance.chiSquare(even, spread), FeatureDistance.chiSquare(even, oneBin))
        XCTAssertGreaterThan(try mappedDot(even, spread), try mappedDot(even, oneBin))
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
