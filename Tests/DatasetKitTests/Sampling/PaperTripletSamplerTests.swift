import DatasetKit
import TensorKit
import XCTest

/// Statistical tests of the paper's sampler (its section "Triplet Sampling") at fixed
/// seeds: chi-square against the exact target distributions, 0.999 quantiles.
final class PaperTripletSamplerTests: XCTestCase {
    let data = LatentDataset.small
    func stream(_ seed: UInt64 = 7) -> RandomStream { RandomStream(seed: seed, name: PaperTripletSampler.streamName) }

    func testQueryFrequenciesAreProportionalToTotalRelevance() throws {
        let table = try RelevanceTable(dataset: data, subset: Array(0..<data.count))
        // Only out-of-class negatives and T_r = 0: every first try is kept, so the kept
        // queries are exactly the drawn ones.
        let parameters = TripletSamplingParameters(relevanceCap: 0.9, relevanceMargin: 0, outOfClassFraction: 1)
        var sampler = try PaperTripletSampler(table: table, parameters: parameters, stream: stream())
        let triplets = sampler.batch(20_000)
        XCTAssertEqual(sampler.state.dropped, 0)
        XCTAssertEqual(sampler.state.failedTries, 0)
        var counts = [Int](repeating: 0, count: data.count)
        for t in triplets { counts[t.query] += 1 }
        let r = (0..<data.count).map { i in
            (0..<data.count).filter { $0 != i }.reduce(0.0) { $0 + Double(data.relevance(i, $1)) }
        }
        assertChiSquareFits(counts, r, "query frequencies vs r_i")  // df 12, critical 32.909
    }

    /// For query 4 (latent 0.2 in category 0), with T_p, T_r and in-class negatives all
    /// active, the kept positive j has probability proportional to w_j * a_j, where
    /// w_j = min(T_p, r(q, j)) and a_j = f [r_j >= T_r] + (1 - f) sum_{k != j} (w_k / W)
    /// [margin rule for (j, k)] is the chance that a try with positive j is kept.
    func testFixedQueryPositivesNegativesAndOutOfClassShareMatchTheExactDistributions() throws {
        let table = try RelevanceTable(dataset: data, subset: Array(0..<data.count))
        let cap: Float = 0.6, margin: Float = 0.08, f = 0.3
        let parameters = TripletSamplingParameters(relevanceCap: cap, relevanceMargin: margin,
                                                   outOfClassFraction: f, maxTries: 50)
        var sampler = try PaperTripletSampler(table: table, parameters: parameters, stream: stream(11))
        let query = 4
        let group = table.members[0]
        let others = group.filter { $0 != query }  // 0, 2, 6, 9, 12
        let r = others.map { table.relevance(query, $0) }
        let w = r.map { Double(min(cap, $0)) }
        let total = w.reduce(0, +)
        // Joint probability of (positive j, in-class negative k) kept in one try, and of
        // (positive j, out-of-class) kept.
        var inClass = [[Double]](repeating: [Double](repeating: 0, count: others.count), count: others.count)
        var outOfClass = [Double](repeating: 0, count: others.count)
        for j in others.indices {
            outOfClass[j] = w[j] / total * f * (marginRuleKeeps(r[j], 0, margin: margin) ? 1 : 0)
            for k in others.indices where k != j && marginRuleKeeps(r[j], r[k], margin: margin) {
                inClass[j][k] = w[j] / total * (1 - f) * w[k] / total
            }
        }
        let positiveTarget = others.indices.map { j in outOfClass[j] + inClass[j].reduce(0, +) }
        let negativeTarget = others.indices.map { k in others.indices.reduce(0.0) { $0 + inClass[$1][k] } }
        let outShare = outOfClass.reduce(0, +) / positiveTarget.reduce(0, +)

        var positives = [Int](repeating: 0, count: others.count)
        var negatives = [Int](repeating: 0, count: others.count)
        var outOfClassNegatives = [Int: Int]()
        var kept = 0, nils = 0
        for _ in 0..<20_000 {
            guard let t = sampler.triplet(forQuery: query) else { nils += 1; continue }
            kept += 1
            XCTAssertEqual(t.query, query)
            XCTAssertTrue(marginRuleKeeps(table.relevance(query, t.positive), table.relevance(query, t.negative), margin: margin))
            positives[others.firstIndex(of: t.positive)!] += 1
            if let k = others.firstIndex(of: t.negative) {
                negatives[k] += 1
            } else {
                XCTAssertNotEqual(data.category(of: t.negative), 0)
                outOfClassNegatives[t.negative, default: 0] += 1
            }
        }
        XCTAssertEqual(sampler.state.queries, 20_000)
        XCTAssertEqual(sampler.state.dropped, nils)
        assertChiSquareFits(positives, positiveTarget, "positives ∝ min(T_p, r) x acceptance")  // df 4, 18.467
        let nonzero = negativeTarget.indices.filter { negativeTarget[$0] > 0 }
        XCTAssertEqual(nonzero.count, 3, "k = 0, 2 are too relevant to ever be a negative of query 4 here")
        XCTAssertTrue(negativeTarget.indices.filter { negativeTarget[$0] == 0 }.allSatisfy { negatives[$0] == 0 })
        assertChiSquareFits(nonzero.map { negatives[$0] }, nonzero.map { negativeTarget[$0] },
                            "in-class negatives drawn like positives, kept by the margin rule")  // df 2, 13.816
        let outCount = outOfClassNegatives.values.reduce(0, +)
        assertChiSquareFits([outCount, kept - outCount], [outShare, 1 - outShare],
                            "out-of-class share among kept triplets")  // df 1, 10.828
        let otherCategory = (0..<data.count).filter { data.category(of: $0) != 0 }
        assertChiSquareFits(otherCategory.map { outOfClassNegatives[$0, default: 0] },
                            otherCategory.map { _ in 1 }, "out-of-class negatives uniform")  // df 6, 22.458
    }

    func testMarginRejectionDropsQueriesAndCountsThem() throws {
        // Relevance 1 everywhere inside a category: no in-class negative can meet T_r, so
        // only the out-of-class tries (probability 0.2) keep a triplet, and a query is
        // dropped after 3 failed tries with probability 0.8^3 = 0.512.
        let flat = LatentDataset(images: (0..<12).map { ($0 % 2, 0.0) }, categories: 2)
        let table = try RelevanceTable(dataset: flat, subset: Array(0..<12))
        let parameters = TripletSamplingParameters(relevanceMargin: 0.05, outOfClassFraction: 0.2, maxTries: 3)
        var sampler = try PaperTripletSampler(table: table, parameters: parameters, stream: stream(3))
        var dropped = 0
        let n = 4_000
        for _ in 0..<n {
            if let t = sampler.next() {
                XCTAssertNotEqual(flat.category(of: t.query), flat.category(of: t.negative))
            } else {
                dropped += 1
            }
        }
        let state = sampler.state
        XCTAssertEqual(state.queries, n)
        XCTAssertEqual(state.dropped, dropped)
        XCTAssertGreaterThanOrEqual(state.failedTries, 3 * dropped)
        XCTAssertLessThanOrEqual(state.failedTries, 3 * dropped + 2 * (n - dropped))
        assertChiSquareFits([dropped, n - dropped], [0.512, 0.488], "drop rate 0.8^3")  // df 1, 10.828

        // Without out-of-class negatives no triplet can be kept at all: a typed error.
        XCTAssertThrowsError(try PaperTripletSampler(
            table: table, parameters: .init(relevanceMargin: 0.05, outOfClassFraction: 0), stream: stream())) { error in
            guard case .noValidTriplet = error as? SamplingError else { return XCTFail("\(error)") }
        }
    }

    func testInvalidParametersAreTypedErrors() throws {
        let table = try RelevanceTable(dataset: data, subset: Array(0..<data.count))
        let single = try RelevanceTable(dataset: data, subset: [0, 2, 4])
        let bad: [(TripletSamplingParameters, String)] = [
            (.init(relevanceCap: 0), "relevanceCap (T_p)"), (.init(relevanceMargin: -1), "relevanceMargin (T_r)"),
            (.init(outOfClassFraction: 1.5), "outOfClassFraction"), (.init(maxTries: 0), "maxTries"),
        ]
        for (parameters, name) in bad {
            XCTAssertThrowsError(try PaperTripletSampler(table: table, parameters: parameters, stream: stream())) { error in
                guard case .invalidParameter(let got, _, _) = error as? SamplingError else { return XCTFail("\(error)") }
                XCTAssertEqual(got, name)
            }
        }
        XCTAssertThrowsError(try PaperTripletSampler(table: single, parameters: .init(), stream: stream()),
                             "out-of-class negatives need a second category")
        XCTAssertNoThrow(try PaperTripletSampler(table: single, parameters: .init(outOfClassFraction: 0), stream: stream()))
    }

    func testSameStreamSameTripletsAndRestoredStateContinues() throws {
        let table = try RelevanceTable(dataset: data, subset: Array(0..<data.count))
        var a = try PaperTripletSampler(table: table, stream: stream(5))
        var b = try PaperTripletSampler(table: table, stream: stream(5))
        XCTAssertEqual(a.batch(200), b.batch(200))
        let saved = a.state
        let continued = a.batch(100)
        var c = try PaperTripletSampler(table: table, stream: stream(99))
        try c.restore(saved)
        XCTAssertEqual(c.batch(100), continued)
        XCTAssertEqual(c.state, a.state)
        var d = try PaperTripletSampler(table: table, stream: stream(6))
        XCTAssertNotEqual(d.batch(50), Array(continued.prefix(50)))
        XCTAssertThrowsError(try c.restore(TripletSamplerState(stream: [0, 0, 0, 0])))
    }
}
