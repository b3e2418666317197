import DatasetKit
import Foundation
import TensorKit
import XCTest

/// Determinism, layout, configuration and relevance of the `synthetic` dataset.
final class SyntheticDatasetTests: XCTestCase {
    private func dataset(seed: UInt64 = 1, _ edit: (inout SyntheticConfig) -> Void = { _ in }) throws -> SyntheticDataset {
        var config = SyntheticConfig()
        config.imageSize = 32
        config.imagesPerCategory = 6
        edit(&config)
        return try SyntheticDataset(config: config, streams: RandomStreams(seed: seed))
    }

    func testDefaultsAndLayout() throws {
        let config = SyntheticConfig()
        XCTAssertEqual(config.categories, 8)
        XCTAssertEqual(config.imagesPerCategory, 60)
        XCTAssertEqual(config.imageSize, 64)
        XCTAssertEqual(config.varyingFactors, LatentFactor.allCases)
        XCTAssertEqual(config.relevanceWeights, [1.0, 1.0, 0.7, 0.7, 0.7, 0.4])
        XCTAssertEqual(config.relevanceBandwidth, 0.4)
        XCTAssertEqual(config.colourMode, .sharedHue)

        let data = try dataset()
        XCTAssertEqual(data.kind, "synthetic")
        XCTAssertEqual(data.count, 48)
        XCTAssertEqual(data.categoryNames, ["star", "c-ring", "cross", "crescent", "blob", "arrow", "spiral", "lattice"])
        XCTAssertEqual(data.category(of: 13), 2)
        XCTAssertEqual(data.identifier(of: 13), "cross/1")
        XCTAssertEqual(data.membersByCategory()[7], Array(42..<48))
    }

    func testSameSeedGivesBitIdenticalImagesAndAnotherSeedDoesNot() throws {
        let a = try dataset(seed: 7), b = try dataset(seed: 7), c = try dataset(seed: 8)
        for i in [0, 11, 47] {
            XCTAssertEqual(try a.image(at: i), try b.image(at: i))
            XCTAssertNotEqual(try a.image(at: i), try c.image(at: i))
        }
        XCTAssertEqual(a.latents, b.latents)
        XCTAssertNotEqual(a.latents, c.latents)
    }

    func testImageDependsOnlyOnSeedConfigFamilyAndMember() throws {
        let small = try dataset(seed: 3) { $0.imagesPerCategory = 4; $0.categories = 3 }
        let large = try dataset(seed: 3) { $0.imagesPerCategory = 9 }
        // Category 2, member 3: index 11 in the small set, 21 in the large one.
        XCTAssertEqual(small.identifier(of: 11), large.identifier(of: 21))
        XCTAssertEqual(small.latents[11], large.latents[21])
        let late = try small.image(at: 11)
        for i in 0..<small.count { _ = try small.image(at: i) }
        XCTAssertEqual(try small.image(at: 11), late, "rendering order must not matter")
        XCTAssertEqual(try large.image(at: 21), late)
    }

    func testPixelsAreInUnitRangeAtEverySupportedSize() throws {
        for size in [32, 45, 256] {
            let data = try dataset { $0.imageSize = size; $0.noiseSigma = 0.2 }
            let image = try data.image(at: size == 256 ? 5 : 30)
            XCTAssertEqual([image.channels, image.height, image.width], [3, size, size])
            XCTAssertTrue(image.pixels.allSatisfy { $0 >= 0 && $0 <= 1 }, "size \(size)")
            XCTAssertGreaterThan(Set(image.pixels).count, 100)
        }
    }

    /// The same nuisance stream with and without noise gives the same clean image (the
    /// noise is drawn last), so the difference is the noise: mean 0, standard deviation sigma.
    func testPixelNoiseHasTheConfiguredStandardDeviation() throws {
        let clean = try dataset { $0.noiseSigma = 0 }.image(at: 20)
        let noisy = try dataset { $0.noiseSigma = 0.05 }.image(at: 20)
        let differences = zip(clean.pixels, noisy.pixels).filter { $0.0 > 0.25 && $0.0 < 0.75 }.map { $0.1 - $0.0 }
        XCTAssertGreaterThan(differences.count, 500)
        let mean = differences.reduce(0, +) / Float(differences.count)
        let sd = (differences.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(differences.count)).squareRoot()
        XCTAssertEqual(mean, 0, accuracy: 0.004)
        XCTAssertEqual(sd, 0.05, accuracy: 0.003)
    }

    func testGrayscaleModeHasEqualPlanes() throws {
        let image = try dataset { $0.colourMode = .grayscale }.image(at: 3)
        let plane = image.height * image.width
        XCTAssertEqual(Array(image.pixels[0..<plane]), Array(image.pixels[plane..<2 * plane]))
        XCTAssertEqual(Array(image.pixels[0..<plane]), Array(image.pixels[2 * plane..<3 * plane]))
    }

    /// Regression pin for the generator: seed 1, default config at 32 px, image 5 (star/5).
    /// Written by this test's first run; a change means every stored synthetic result changes.
    /// The tolerance allows libm differences of a few ulps in sin/cos/exp.
    func testPinnedImageSum() throws {
        let data = try dataset { $0.imagesPerCategory = 60 }
        let image = try data.image(at: 5)
        let sum = image.pixels.reduce(0, +)
        XCTAssertEqual(sum, SyntheticDatasetTests.pinnedSum, accuracy: 0.05)
        XCTAssertEqual(data.latents[5].values[0], SyntheticDatasetTests.pinnedShape, accuracy: 1e-7)
    }
    static let pinnedSum: Float = 1132.0165
    static let pinnedShape: Float = 0.9113938

    func testRelevanceIsSymmetricBoundedAndZeroAcrossCategories() throws {
        let data = try dataset()
        for i in 0..<data.count {
            for j in 0..<data.count {
                let r = data.relevance(i, j)
                XCTAssertEqual(r, data.relevance(j, i))
                XCTAssertTrue(r >= 0 && r <= 1)
                if data.category(of: i) != data.category(of: j) { XCTAssertEqual(r, 0) }
                if i == j { XCTAssertEqual(r, 1) } else if data.category(of: i) == data.category(of: j) {
                    XCTAssertLessThan(r, 1, "different latents must have relevance below 1")
                }
            }
        }
    }

    func testRelevanceFollowsTheFormulaAndDecreasesWithLatentDistance() {
        let weights: [Float] = [1.0, 1.0, 0.7, 0.7, 0.7, 0.4], sigma: Float = 0.4
        let z = SyntheticLatent(values: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
        let w = SyntheticLatent(values: [0.3, 0.2, 0.3, 0.1, 0.5, 0.9])
        let expected = exp(-(0.2 * 0.2 + 0.7 * 0.3 * 0.7 * 0.3 + 0.4 * 0.3 * 0.4 * 0.3) / (2 * 0.4 * 0.4)) as Float
        XCTAssertEqual(z.relevance(to: w, weights: weights, bandwidth: sigma), expected, accuracy: 1e-6)
        XCTAssertEqual(z.relevance(to: z, weights: weights, bandwidth: sigma), 1)
        for f in 0..<LatentFactor.allCases.count {
            var previous: Float = 1
            for step in 1...4 {
                var values = z.values
                values[f] += Float(step) * 0.08
                let r = z.relevance(to: SyntheticLatent(values: values), weights: weights, bandwidth: sigma)
                XCTAssertLessThan(r, previous, "factor \(LatentFactor.allCases[f]), step \(step)")
                previous = r
            }
        }
    }

    func testFactorsOutsideVaryingFactorsAreHeldAtOneHalf() throws {
        let data = try dataset { $0.varyingFactors = [.shape, .pose] }
        let full = try dataset()
        for i in 0..<data.count {
            XCTAssertEqual(Array(data.latents[i].values[2...]), [0.5, 0.5, 0.5, 0.5])
            XCTAssertEqual(Array(data.latents[i].values[..<2]), Array(full.latents[i].values[..<2]),
                           "switching factors off must not move the others")
        }
    }

    func testInvalidConfigurationsThrowErrorsNamingTheParameter() {
        let cases: [(String, (inout SyntheticConfig) -> Void)] = [
            ("synthetic.categories", { $0.categories = 11 }),
            ("synthetic.imagesPerCategory", { $0.imagesPerCategory = 0 }),
            ("synthetic.imageSize", { $0.imageSize = 16 }),
            ("synthetic.imageSize", { $0.imageSize = 512 }),
            ("synthetic.varyingFactors", { $0.varyingFactors = [.hue, .hue] }),
            ("synthetic.relevanceWeights", { $0.relevanceWeights = [1, 1, 1] }),
            ("synthetic.relevanceWeights", { $0.relevanceWeights = [1, 1, 1, 1, 1, -1] }),
            ("synthetic.relevanceBandwidth", { $0.relevanceBandwidth = 0 }),
            ("synthetic.noiseSigma", { $0.noiseSigma = 0.9 }),
            ("synthetic.backgroundVariation", { $0.backgroundVariation = 2 }),
            ("synthetic.maxShift", { $0.maxShift = 0.3 }),
        ]
        for (name, edit) in cases {
            var config = SyntheticConfig()
            edit(&config)
            XCTAssertThrowsError(try SyntheticDataset(config: config, streams: RandomStreams(seed: 1))) { error in
                guard case DatasetError.invalidParameter(let got, _, _) = error else {
                    return XCTFail("\(name): unexpected error \(error)")
                }
                XCTAssertEqual(got, name)
                XCTAssertTrue("\(error)".contains(name))
            }
        }
    }

    func testConfigDecodesMissingFieldsAsDefaultsAndRoundTrips() throws {
        let json = #"{"imageSize": 48, "colourMode": "grayscale", "varyingFactors": ["shape", "hue"]}"#
        let decoded = try JSONDecoder().decode(SyntheticConfig.self, from: Data(json.utf8))
        var expected = SyntheticConfig()
        expected.imageSize = 48; expected.colourMode = .grayscale; expected.varyingFactors = [.shape, .hue]
        XCTAssertEqual(decoded, expected)
        XCTAssertEqual(try JSONDecoder().decode(SyntheticConfig.self, from: JSONEncoder().encode(expected)), expected)
    }
}
