import TensorKit

/// A deterministic train/test split, stratified by category: within each category the
/// images are shuffled with the stream `split/<category name>` and the first
/// `round(testFraction * n)` (at least one when n >= 2) go to the test side.
public struct DatasetSplit: Equatable, Sendable {
    public let train: [Int]
    public let test: [Int]

    public init(train: [Int], test: [Int]) {
        self.train = train
        self.test = test
    }

    public init(dataset: ImageDataset, testFraction: Double, streams: RandomStreams) {
        precondition(testFraction >= 0 && testFraction < 1, "test fraction must be in [0, 1)")
        var train: [Int] = [], test: [Int] = []
        for (c, members) in dataset.membersByCategory().enumerated() {
            var shuffled = members
            var stream = streams.stream("split/\(dataset.categoryNames[c])")
            stream.shuffle(&shuffled)
            var nTest = Int((testFraction * Double(members.count)).rounded())
            if testFraction > 0 && members.count >= 2 { nTest = min(max(nTest, 1), members.count - 1) }
            test += shuffled.prefix(nTest)
            train += shuffled.dropFirst(nTest)
        }
        self.train = train.sorted()
        self.test = test.sorted()
    }
}
