import DatasetKit
import TensorKit
import XCTest

/// Efraimidis-Spirakis reservoirs: A-Res with keys u^(1/w) gives the same sample as
/// successive weighted draws without replacement, so for a stream of items with weights
/// w the probability that a buffer of size 2 ends with {i, j} is
/// w_i / W * w_j / (W - w_i) + w_j / W * w_i / (W - w_j), and for size 1 it keeps i with
/// probability w_i / W.
final class ReservoirSamplingTests: XCTestCase {
    func pairProbabilities(_ w: [Double]) -> [(Int, Int, Double)] {
        let total = w.reduce(0, +)
        var pairs: [(Int, Int, Double)] = []
        for i in w.indices {
            for j in w.indices where j > i {
                pairs.append((i, j, w[i] / total * w[j] / (total - w[i]) + w[j] / total * w[i] / (total - w[j])))
            }
        }
        return pairs
    }

    func testBufferOfOneKeepsEachItemWithProbabilityProportionalToItsWeight() {
        let weights: [Double] = [1, 2, 3, 4, 10]
        var stream = RandomStream(seed: 1, name: "test/reservoir")
        var kept = [Int](repeating: 0, count: weights.count)
        for _ in 0..<20_000 {
            var buffer = ReservoirBuffer(capacity: 1)
            for (item, w) in weights.enumerated() { buffer.offer(item, weight: w, stream: &stream) }
            kept[buffer.items[0]] += 1
        }
        assertChiSquareFits(kept, weights, "size-1 reservoir keeps i with probability w_i / sum w")  // df 4, 18.467
    }

    func testBufferOfTwoMatchesSuccessiveSamplingAndFavoursHeavyItems() {
        let weights: [Double] = [1, 1, 1, 1, 10, 0]
        var stream = RandomStream(seed: 2, name: "test/reservoir")
        var pairCounts = [[Int]](repeating: [Int](repeating: 0, count: 6), count: 6)
        var inclusion = [Int](repeating: 0, count: weights.count)
        let trials = 10_000
        for _ in 0..<trials {
            var buffer = ReservoirBuffer(capacity: 2)
            for (item, w) in weights.enumerated() { buffer.offer(item, weight: w, stream: &stream) }
            XCTAssertEqual(buffer.items.count, 2)
            let pair = buffer.items.sorted()
            pairCounts[pair[0]][pair[1]] += 1
            for item in pair { inclusion[item] += 1 }
        }
        XCTAssertEqual(inclusion[5], 0, "weight 0 is never kept")
        // Weight 10 among four weight-1 items (W = 14): kept with probability
        // 10/14 + 4 (1/14)(10/13) = 0.934, each weight-1 item with 0.266.
        XCTAssertGreaterThan(Double(inclusion[4]) / Double(trials), 0.9)
        for light in 0..<4 { XCTAssertLessThan(Double(inclusion[light]) / Double(trials), 0.3) }
        let pairs = pairProbabilities(Array(weights.prefix(5)))
        // Pairs of weight-1 items have probability 2 (1/14)(1/13) = 0.011: 110 expected counts.
        assertChiSquareFits(pairs.map { pairCounts[$0.0][$0.1] }, pairs.map { $0.2 },
                            "size-2 reservoir pairs vs successive sampling")  // df 9, 27.877
    }

    func testOnlineBuffersAreWeightedReservoirsOfTheShuffledArrivals() throws {
        // Category 0 of the small dataset (6 images) through a buffer of 2, over many
        // arrival seeds: the buffer's pair follows successive sampling with weights r_j.
        let data = LatentDataset.small
        let table = try RelevanceTable(dataset: data, subset: Array(0..<data.count))
        let weights = table.totalRelevance[0]
        let pairs = pairProbabilities(weights)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: 6), count: 6)
        for seed in 0..<3_000 {
            var sampler = try OnlineReservoirSampler(
                table: table, bufferSize: 2,
                arrivalStream: RandomStream(seed: UInt64(seed), name: OnlineReservoirSampler.arrivalStreamName),
                stream: RandomStream(seed: UInt64(seed), name: OnlineReservoirSampler.streamName))
            sampler.ingestAll()
            XCTAssertEqual(sampler.remainingArrivals, 0)
            XCTAssertEqual(sampler.buffers.map(\.items.count), [2, 2, 2])
            let slots = sampler.buffers[0].items.map { table.member(of: $0)!.slot }.sorted()
            counts[slots[0]][slots[1]] += 1
        }
        assertChiSquareFits(pairs.map { counts[$0.0][$0.1] }, pairs.map { $0.2 },
                            "online buffer pairs vs successive sampling on r_j")  // df 14, 36.123
    }

    /// With buffers holding whole categories, the kept positive of query 4 has
    /// probability proportional to min(1, r(q, j) / r_j) * a_j, with a_j the chance that
    /// the negative then passes: f [r(q, j) >= T_r] + (1 - f) / (m - 1) * #{k != q, j:
    /// margin rule for (j, k)}, m = 6 images in the buffer. The same target holds for
    /// both acceptance rules; the normalised one fails fewer tries.
    func testOnlinePositivesFollowTheAcceptanceRule() throws {
        let data = LatentDataset.small
        let table = try RelevanceTable(dataset: data, subset: Array(0..<data.count))
        let margin: Float = 0.08, f = 0.3
        let parameters = TripletSamplingParameters(relevanceMargin: margin, outOfClassFraction: f, maxTries: 50)
        let query = 4, others = [0, 2, 6, 9, 12]
        let target = others.map { j -> Double in
            let r = table.relevance(query, j)
            let (c, slot) = table.member(of: j)!
            let acceptance = min(1, Double(r) / table.totalRelevance[c][slot])
            let inClass = others.filter { $0 != j && marginRuleKeeps(r, table.relevance(query, $0), margin: margin) }.count
            return acceptance * (f * (marginRuleKeeps(r, 0, margin: margin) ? 1 : 0) + (1 - f) * Double(inClass) / 5)
        }
        var failedTries: [PositiveAcceptance: Int] = [:]
        for rule in [PositiveAcceptance.paper, .normalizedToBuffer] {
            var sampler = try OnlineReservoirSampler(
                table: table, parameters: parameters, bufferSize: 8, acceptance: rule,
                arrivalStream: RandomStream(seed: 4, name: OnlineReservoirSampler.arrivalStreamName),
                stream: RandomStream(seed: 4, name: OnlineReservoirSampler.streamName))
            XCTAssertThrowsError(try sampler.batch(1), "empty buffers") { error in
                guard case .noValidTriplet = error as? SamplingError else { return XCTFail("\(error)") }
            }
            sampler.ingestAll()
            XCTAssertEqual(sampler.buffers.map { Set($0.items) }, table.members.map(Set.init))
            var positives = [Int](repeating: 0, count: others.count)
            while positives.reduce(0, +) < 8_000 {
                guard let t = sampler.triplet(forQuery: query) else { continue }
                XCTAssertTrue(marginRuleKeeps(table.relevance(query, t.positive), table.relevance(query, t.negative),
                                              margin: margin))
                positives[others.firstIndex(of: t.positive)!] += 1
            }
            failedTries[rule] = sampler.state.failedTries
            assertChiSquareFits(positives, target, "online positives (\(rule)) ∝ min(1, r(q, j) / r_j)")  // df 4, 18.467
        }
        XCTAssertLessThan(failedTries[.normalizedToBuffer]!, failedTries[.paper]! / 2)
    }

    func testRestoreReplaysArrivalsAndContinues() throws {
        let data = LatentDataset.grid(categories: 3, perCategory: 10)
        let table = try RelevanceTable(dataset: data, subset: Array(0..<data.count))
        func make(_ seed: UInt64) throws -> OnlineReservoirSampler {
            try OnlineReservoirSampler(
                table: table, bufferSize: 4,
                arrivalStream: RandomStream(seed: 8, name: OnlineReservoirSampler.arrivalStreamName),
                stream: RandomStream(seed: seed, name: OnlineReservoirSampler.streamName))
        }
        var a = try make(8)
        XCTAssertEqual(a.ingest(12), 12)
        _ = try a.batch(30)
        let saved = a.state
        XCTAssertEqual(saved.arrivals, 12)
        a.ingest(9)
        let continued = try a.batch(30)
        var b = try make(123)
        try b.restore(saved)
        b.ingest(9)
        XCTAssertEqual(b.buffers, a.buffers)
        XCTAssertEqual(try b.batch(30), continued)
        XCTAssertEqual(b.state, a.state)
        XCTAssertThrowsError(try OnlineReservoirSampler(
            table: table, bufferSize: 1, arrivalStream: RandomStream(seed: 1, name: "a"), stream: RandomStream(seed: 1, name: "b")))
    }
}
