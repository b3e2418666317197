import DatasetKit
import TensorKit
import XCTest

final class EvaluationTripletTests: XCTestCase {
    let data = LatentDataset.grid(categories: 3, perCategory: 12)
    func stream(_ seed: UInt64 = 1) -> RandomStream { RandomStream(seed: seed, name: EvaluationTripletBuilder.streamName) }

    func testGeneratedTripletsHaveTheGapTheShareAndNoDuplicates() throws {
        let split = DatasetSplit(dataset: data, testFraction: 0.5, streams: RandomStreams(seed: 3))
        let parameters = EvaluationTripletParameters(count: 60, relevanceGap: 0.25, outOfClassShare: 0.2)
        let set = try EvaluationTripletBuilder.build(dataset: data, testIndices: split.test, parameters: parameters,
                                                     stream: stream())
        XCTAssertEqual(set.source, .generated)
        XCTAssertEqual(set.triplets.count, 60)
        XCTAssertEqual(Set(set.triplets).count, 60, "no duplicates")
        let test = Set(split.test)
        for (position, t) in set.triplets.enumerated() {
            XCTAssertTrue(test.contains(t.query) && test.contains(t.positive) && test.contains(t.negative))
            XCTAssertEqual(data.category(of: t.query), data.category(of: t.positive))
            XCTAssertEqual(Set([t.query, t.positive, t.negative]).count, 3)
            let ra = data.relevance(t.query, t.positive), rb = data.relevance(t.query, t.negative)
            XCTAssertGreaterThan(ra - rb, 0.25, "A is the more relevant by more than the gap")
            // round(0.2 * 60) = 12 out-of-class triplets, listed after the 48 within-category ones.
            XCTAssertEqual(data.category(of: t.negative) != data.category(of: t.query), position >= 48)
        }
        let again = try EvaluationTripletBuilder.build(dataset: data, testIndices: split.test, parameters: parameters,
                                                       stream: stream())
        XCTAssertEqual(again, set, "same stream, same triplets and digest")
        let other = try EvaluationTripletBuilder.build(dataset: data, testIndices: split.test, parameters: parameters,
                                                       stream: stream(2))
        XCTAssertNotEqual(other.triplets, set.triplets)
        XCTAssertNotEqual(other.digest, set.digest)
    }

    func testDigestIsPinnedAndChangesWithAnyChange() {
        let small = LatentDataset.small
        let triplets = [Triplet(query: 0, positive: 2, negative: 4), Triplet(query: 3, positive: 7, negative: 10)]
        let set = EvaluationTripletSet(triplets: triplets, source: .generated, dataset: small)
        // hashlib.sha256 of the documented encoding, computed in Python:
        //   b = 'deeprank-evaluation-triplets 1 2\n' + ''.join('%d %d:%s\n' % (i, len(n), n)
        //       for t in [(0, 2, 4), (3, 7, 10)] for i in t for n in ['latent/%d' % i])
        XCTAssertEqual(set.digest, "2d3eb0873361d774e5739116c26c5975de9eed0e4c79fab4a56a25e53fea6551")
        var renamed = small
        renamed.identifierPrefix = "moved"
        let variants: [EvaluationTripletSet] = [
            .init(triplets: [triplets[0]], source: .generated, dataset: small),
            .init(triplets: triplets.reversed(), source: .generated, dataset: small),
            .init(triplets: [Triplet(query: 0, positive: 4, negative: 2), triplets[1]], source: .generated, dataset: small),
            .init(triplets: [Triplet(query: 0, positive: 2, negative: 6), triplets[1]], source: .generated, dataset: small),
            .init(triplets: triplets, source: .generated, dataset: renamed),
        ]
        for variant in variants { XCTAssertNotEqual(variant.digest, set.digest) }
        XCTAssertTrue(set.digestMatches(dataset: small))
        XCTAssertFalse(set.digestMatches(dataset: renamed))
        XCTAssertEqual(Set(variants.map(\.digest)).count, variants.count)
    }

    func testTooFewTripletsAndBadParametersAreTypedErrors() throws {
        let tiny = LatentDataset.small
        XCTAssertThrowsError(try EvaluationTripletBuilder.build(
            dataset: tiny, testIndices: Array(0..<tiny.count),
            parameters: .init(count: 500, relevanceGap: 0.25, maxDrawsPerTriplet: 20), stream: stream())) { error in
            guard case .tooFewEvaluationTriplets(500, let found, _) = error as? SamplingError else {
                return XCTFail("\(error)")
            }
            XCTAssertGreaterThan(found, 0)
        }
        XCTAssertThrowsError(try EvaluationTripletBuilder.build(
            dataset: tiny, testIndices: [0, 2, 4], parameters: .init(count: 5, outOfClassShare: 1), stream: stream()))
        XCTAssertThrowsError(try EvaluationTripletBuilder.build(
            dataset: tiny, testIndices: [0, 2, 4], parameters: .init(count: 0), stream: stream())) { error in
            guard case .invalidParameter = error as? SamplingError else { return XCTFail("\(error)") }
        }
    }

    func testProvidedTripletsReplaceGenerationUnlessIgnored() throws {
        var withTriplets = data
        let provided = [Triplet(query: 0, positive: 3, negative: 30), Triplet(query: 1, positive: 4, negative: 7)]
        withTriplets.providedEvaluationTriplets = provided
        let asGiven = try EvaluationTripletBuilder.build(dataset: withTriplets, testIndices: [0, 3, 30],
                                                         parameters: .init(count: 5), stream: stream())
        XCTAssertEqual(asGiven.triplets, provided)
        XCTAssertEqual(asGiven.source, .provided)
        XCTAssertEqual(asGiven.digest, EvaluationTripletSet(triplets: provided, source: .provided, dataset: data).digest)
        let restricted = try EvaluationTripletBuilder.build(
            dataset: withTriplets, testIndices: [0, 3, 30],
            parameters: .init(count: 5, providedTriplets: .restrictToTestSplit), stream: stream())
        XCTAssertEqual(restricted.triplets, [provided[0]])
        let ignored = try EvaluationTripletBuilder.build(
            dataset: withTriplets, testIndices: Array(0..<data.count),
            parameters: .init(count: 5, providedTriplets: .ignore), stream: stream())
        XCTAssertEqual(ignored.source, .generated)
        XCTAssertEqual(ignored.triplets.count, 5)

        withTriplets.providedEvaluationTriplets = provided + [provided[1]]
        XCTAssertThrowsError(try EvaluationTripletBuilder.build(dataset: withTriplets, testIndices: [],
                                                                stream: stream())) { error in
            XCTAssertEqual(error as? SamplingError,
                           .invalidProvidedTriplet(position: 2, triplet: provided[1], reason: "repeats an earlier triplet"))
        }
        withTriplets.providedEvaluationTriplets = [Triplet(query: 0, positive: 1, negative: 99)]
        XCTAssertThrowsError(try EvaluationTripletBuilder.build(dataset: withTriplets, testIndices: [], stream: stream()))
    }
}
