import DatasetKit
import TensorKit
import XCTest

final class UniformTripletSamplerTests: XCTestCase {
    let data = LatentDataset.small
    func stream(_ seed: UInt64) -> RandomStream { RandomStream(seed: seed, name: UniformTripletSampler.streamName) }

    func testQueriesAndPositivesAreUniform() throws {
        let table = try RelevanceTable(dataset: data, subset: Array(0..<data.count))
        // Every in-class r > 0 here, so with out-of-class negatives only and T_r = 0 every
        // first try is kept and the kept triplets show the raw draws.
        let parameters = TripletSamplingParameters(relevanceMargin: 0, outOfClassFraction: 1)
        var sampler = try UniformTripletSampler(table: table, parameters: parameters, stream: stream(1))
        var queries = [Int](repeating: 0, count: data.count)
        for t in sampler.batch(13_000) { queries[t.query] += 1 }
        XCTAssertEqual(sampler.state.dropped, 0)
        assertChiSquareFits(queries, [Double](repeating: 1, count: data.count), "uniform queries")  // df 12, 32.909

        var positives = [Int: Int]()
        for _ in 0..<5_000 { positives[sampler.triplet(forQuery: 4)!.positive, default: 0] += 1 }
        let others = [0, 2, 6, 9, 12]
        XCTAssertEqual(Set(positives.keys), Set(others))
        assertChiSquareFits(others.map { positives[$0]! }, [1, 1, 1, 1, 1], "uniform positives")  // df 4, 18.467
    }

    func testKeptTripletsObeyTheMarginRuleAndDropsAreCounted() throws {
        let table = try RelevanceTable(dataset: data, subset: Array(0..<data.count))
        let parameters = TripletSamplingParameters(relevanceMargin: 0.3, outOfClassFraction: 0.2, maxTries: 2)
        var sampler = try UniformTripletSampler(table: table, parameters: parameters, stream: stream(2))
        var nils = 0
        for _ in 0..<2_000 {
            guard let t = sampler.next() else { nils += 1; continue }
            XCTAssertEqual(data.category(of: t.query), data.category(of: t.positive))
            XCTAssertTrue(marginRuleKeeps(data.relevance(t.query, t.positive), data.relevance(t.query, t.negative), margin: 0.3))
        }
        XCTAssertGreaterThan(nils, 0)
        XCTAssertEqual(sampler.state.dropped, nils)
        XCTAssertEqual(sampler.state.queries, 2_000)
        let saved = sampler.state
        let continued = sampler.batch(20)
        var restored = try UniformTripletSampler(table: table, parameters: parameters, stream: stream(3))
        try restored.restore(saved)
        XCTAssertEqual(restored.batch(20), continued)
    }
}
