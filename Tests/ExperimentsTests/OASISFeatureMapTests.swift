import DatasetKit
import Evaluation
import Experiments
import Features
import Methods
import NeuralNet
import TensorKit
import XCTest

/// OASIS's `feature_map`: the spec key, and an OASIS method that learns and ranks on the
/// mapped vectors of its base, while the default leaves every existing run as it was.
final class OASISFeatureMapTests: XCTestCase {
    static let spec = """
        experiment: oasis-map
        seeds: [1]
        dataset: {kind: synthetic}
        methods:
          - {name: colour, type: handcrafted, feature: color-histogram}
          - {name: plain, type: oasis, base: colour, steps: 5}
          - {name: rooted, type: oasis, base: colour, steps: 5, feature_map: square-root}
        """

    func testTheKeyParsesAndDefaultsToNone() throws {
        let spec = try SpecParser.parse(text: Self.spec, path: "oasis-map.yaml")
        guard case .oasis(_, _, _, let plain) = spec.methods[1].kind,
              case .oasis(_, _, _, let rooted) = spec.methods[2].kind else { return XCTFail("\(spec.methods)") }
        XCTAssertEqual(plain, .identity)
        XCTAssertEqual(SpecDefaults.oasisFeatureMap, .identity)
        XCTAssertEqual(rooted, .squareRoot)
    }

    /// Two OASIS rows on one colour histogram, on `TrainingLoopTests`' tiny synthetic split:
    /// the square-root row's vectors are the square roots of the base's, its W is the one
    /// OASIS learns on them (so it differs from the plain row's, trained on the same
    /// triplets), and a base with a negative component (a network's embedding, which a spec
    /// cannot give it) is refused at training time with the method and key named.
    func testRanksAndLearnsOnTheMappedVectors() throws {
        let colour = HandcraftedMethod(name: "colour", feature: HandCraftedFeature(try ColorHistogram(), distance: .chiSquare))
        let sampler = SamplerChoice.paper(TripletSamplingParameters(relevanceMargin: 0.1))
        func oasis(_ name: String, _ map: FeatureMap) throws -> OASISMethod {
            OASISMethod(name: name, base: colour, parameters: try OASISParameters(steps: 40), sampler: sampler, featureMap: map)
        }
        let plain = try oasis("plain", .identity), rooted = try oasis("rooted", .squareRoot)
        func context(_ method: any SimilarityMethod) throws -> MethodContext {
            try TrainingLoopTests.context(for: method, checkpoints: .none)
        }
        let setup = try context(colour)
        let dataset = setup.dataset, split = setup.split
        try plain.train(try context(plain))
        try rooted.train(try context(rooted))

        let base = try XCTUnwrap(try colour.rankers(for: split.test, context: try context(colour)).first?.ranker)
        let mapped = try XCTUnwrap(try rooted.rankers(for: split.test, context: try context(rooted)).first?.ranker)
        let unmapped = try XCTUnwrap(try plain.rankers(for: split.test, context: try context(plain)).first?.ranker)
        // (Comparisons of whole arrays as booleans: a failure message listing 512 x 512 values helps nobody.)
        XCTAssertTrue(unmapped.vectors == base.vectors, "the plain row compares the base's vectors as they are")
        XCTAssertTrue(mapped.vectors == base.vectors.map { $0.squareRoot() }, "the square-root row compares their roots")
        let rootedW = try XCTUnwrap(rooted.learnedArrays.first?.values), plainW = try XCTUnwrap(plain.learnedArrays.first?.values)
        XCTAssertTrue(rootedW != plainW, "the two rows learned the same W from different vectors")
        // Trained on the mapped training vectors: the same W comes out of OASIS run on them directly.
        let train = try XCTUnwrap(try colour.rankers(for: split.train, context: try context(colour)).first?.ranker)
        var direct = try OASIS(dimension: train.dimension)
        var triplets = try sampler.make(table: try RelevanceTable(dataset: dataset, subset: split.train),
                                        streams: try context(rooted).streams)
        var row: [Int: Int] = [:]
        for (r, index) in split.train.enumerated() { row[index] = r }
        _ = try direct.train(features: try FeatureMatrix(rows: split.train.count, dimension: train.dimension,
                                                         values: train.vectors.map { $0.squareRoot() }),
                             parameters: try OASISParameters(steps: 40)) {
            let t = try triplets.batch(1)[0]
            return Triplet(query: row[t.query]!, positive: row[t.positive]!, negative: row[t.negative]!)
        }
        let largest = zip(rootedW, direct.matrix).map { abs($0 - $1) }.max() ?? 0
        XCTAssertTrue(rootedW == direct.matrix, "W is not the one OASIS learns on the roots (largest difference \(largest))")

        var network = MultiScaleConfig.tiny
        network.inputSize = 32
        let embedding = DeepRankingMethod(name: "ranking", network: network,
                                          schedule: TrainingSchedule(steps: 2, batchSize: 3), margin: 0.2, sampler: sampler)
        try embedding.train(try context(embedding))
        let negative = OASISMethod(name: "bad", base: embedding, parameters: try OASISParameters(steps: 5), sampler: sampler,
                                   featureMap: .squareRoot)
        let baseVectors = try XCTUnwrap(try embedding.rankers(for: split.train, context: try context(embedding)).first?.ranker)
        guard baseVectors.vectors.contains(where: { $0 < 0 }) else {
            return XCTFail("the embedding has no negative component here, so this checks nothing")
        }
        XCTAssertThrowsError(try negative.train(try context(negative))) { error in
            guard case MethodError.invalidSetting(let method, let key, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(method, "bad")
            XCTAssertEqual(key, "feature_map")
            XCTAssertTrue(reason.contains("bad's base ranking"), reason)
        }
    }
}
