import DatasetKit
import XCTest

/// A toy dataset with known relevance from a 1-D latent: image i has category
/// `images[i].category` and latent `images[i].latent` in [0, 1); inside a category
/// r(i, j) = 1 - |latent_i - latent_j| (so every in-class pair has r > 0), 0 across.
/// Images are tiny constants; identifiers are `"<prefix>/<index>"`.
struct LatentDataset: ImageDataset {
    let images: [(category: Int, latent: Double)]
    var categoryNames: [String]
    var identifierPrefix = "latent"
    var providedEvaluationTriplets: [Triplet]? = nil

    init(images: [(category: Int, latent: Double)], categories: Int) {
        self.images = images
        self.categoryNames = (0..<categories).map { "c\($0)" }
    }

    var kind: String { "latent-toy" }
    var count: Int { images.count }
    func category(of index: Int) -> Int { images[index].category }
    func relevance(_ a: Int, _ b: Int) -> Float {
        images[a].category == images[b].category ? Float(1 - abs(images[a].latent - images[b].latent)) : 0
    }
    func image(at index: Int) throws -> PlanarImage { PlanarImage(channels: 1, height: 1, width: 1, value: 0.5) }
    func identifier(of index: Int) -> String { "\(identifierPrefix)/\(index)" }

    /// 13 images in three categories, interleaved so that index order is not category
    /// order: category 0 latents 0, 0.05, 0.2, 0.45, 0.7, 0.95; category 1 latents 0.1,
    /// 0.3, 0.5, 0.9; category 2 latents 0, 0.5, 0.6.
    static let small = LatentDataset(images: [
        (0, 0.00), (1, 0.10), (0, 0.05), (2, 0.00), (0, 0.20), (1, 0.30), (0, 0.45),
        (2, 0.50), (1, 0.50), (0, 0.70), (2, 0.60), (1, 0.90), (0, 0.95),
    ], categories: 3)

    /// `perCategory` images in each of `categories` categories with latents k / perCategory.
    static func grid(categories: Int, perCategory: Int) -> LatentDataset {
        var images: [(category: Int, latent: Double)] = []
        for k in 0..<perCategory {
            for c in 0..<categories { images.append((c, Double(k) / Double(perCategory))) }
        }
        return LatentDataset(images: images, categories: categories)
    }
}

/// Pearson's chi-square statistic sum (O - E)^2 / E for observed counts against
/// probabilities (normalised here); every expected count must be at least 5.
func chiSquare(observed: [Int], probabilities: [Double], file: StaticString = #filePath, line: UInt = #line) -> Double {
    precondition(observed.count == probabilities.count)
    let n = Double(observed.reduce(0, +)), total = probabilities.reduce(0, +)
    var statistic = 0.0
    for (o, p) in zip(observed, probabilities) {
        let expected = n * p / total
        XCTAssertGreaterThanOrEqual(expected, 5, "expected count too small for a chi-square test", file: file, line: line)
        statistic += (Double(o) - expected) * (Double(o) - expected) / expected
    }
    return statistic
}

/// The 0.999 quantile of the chi-square distribution with `df` degrees of freedom
/// (scipy 1.17.1, `scipy.stats.chi2.ppf(0.999, df)`, df = 1...20): a correct sampler
/// fails a test at a fixed seed with probability 0.001, and the seeds are fixed.
func chiSquareCritical999(df: Int) -> Double {
    let table = [10.828, 13.816, 16.266, 18.467, 20.515, 22.458, 24.322, 26.124, 27.877, 29.588,
                 31.264, 32.909, 34.528, 36.123, 37.697, 39.252, 40.790, 42.312, 43.820, 45.315]
    return table[df - 1]
}

/// Asserts that `observed` fits `probabilities` at the 0.999 level (df = categories - 1).
func assertChiSquareFits(_ observed: [Int], _ probabilities: [Double], _ message: String,
                         file: StaticString = #filePath, line: UInt = #line) {
    let statistic = chiSquare(observed: observed, probabilities: probabilities, file: file, line: line)
    let critical = chiSquareCritical999(df: observed.count - 1)
    XCTAssertLessThan(statistic, critical, "\(message): chi-square \(statistic) with \(observed.count - 1) df "
                      + "exceeds the 0.999 quantile \(critical); observed \(observed)", file: file, line: line)
}

/// The samplers' margin rule, in the same Float arithmetic: r+ > r- and r+ - r- >= T_r.
func marginRuleKeeps(_ rPositive: Float, _ rNegative: Float, margin: Float) -> Bool {
    rPositive > rNegative && rPositive - rNegative >= margin
}
