import TensorKit

/// A deterministic train/validation/test split, stratified by category. Within each
/// category of n images, the images are shuffled with the stream `split/<category name>`;
/// the first `round(testFraction * n)` go to the test side (when `testFraction > 0` and
/// n >= 2: at least one, never all of them), the next
/// `round(validationFraction * n)` to the validation side (at least one when
/// `validationFraction > 0` and at least two images remain, always leaving one for
/// training), and the rest to training.
///
/// The validation part is carved out of what would otherwise be training images: the test
/// side is the same with or without it, and with `validationFraction == 0` the split is
/// exactly the two-way split (no extra draws).
public struct DatasetSplit: Equatable, Sendable {
    public let train: [Int]
    /// Held out from training to choose things on (checkpoints, sweep values); empty when
    /// the spec asks for no validation part.
    public let validation: [Int]
    public let test: [Int]

    public init(train: [Int], validation: [Int] = [], test: [Int]) {
        self.train = train
        self.validation = validation
        self.test = test
    }

    public init(dataset: ImageDataset, testFraction: Double, validationFraction: Double = 0, streams: RandomStreams) {
        precondition(testFraction >= 0 && testFraction < 1, "test fraction must be in [0, 1)")
        precondition(validationFraction >= 0 && testFraction + validationFraction < 1,
                     "validation fraction must be >= 0 and leave room for training")
        var train: [Int] = [], validation: [Int] = [], test: [Int] = []
        for (c, members) in dataset.membersByCategory().enumerated() {
            var shuffled = members
            var stream = streams.stream("split/\(dataset.categoryNames[c])")
            stream.shuffle(&shuffled)
            var nTest = Int((testFraction * Double(members.count)).rounded())
            if testFraction > 0 && members.count >= 2 { nTest = min(max(nTest, 1), members.count - 1) }
            let nValidation = Self.validationCount(validationFraction, of: members.count, available: members.count - nTest)
            test += shuffled.prefix(nTest)
            validation += shuffled.dropFirst(nTest).prefix(nValidation)
            train += shuffled.dropFirst(nTest + nValidation)
        }
        self.train = train.sorted()
        self.validation = validation.sorted()
        self.test = test.sorted()
    }

    /// `round(fraction * count)`, at least one when `fraction > 0` and `available >= 2`,
    /// always leaving one of the `available` (non-test) images for training.
    private static func validationCount(_ fraction: Double, of count: Int, available: Int) -> Int {
        guard fraction > 0 && available >= 2 else { return 0 }
        return min(max(Int((fraction * Double(count)).rounded()), 1), available - 1)
    }
}
