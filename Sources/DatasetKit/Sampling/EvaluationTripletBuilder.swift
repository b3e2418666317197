import TensorKit

/// Builds the evaluation triplets the paper's way (README, "The paper in brief"): Q, A and
/// B from the test split, A and B from Q's category, kept only when the relevance gap is
/// clear (the analogue of three unanimous raters), plus an optional share of out-of-class
/// triplets.
///
/// Generation, from one stream (by convention `evaluation-triplets`, `streamName`):
/// - n_out = round(outOfClassShare * count) out-of-class and n_in = count - n_out
///   within-category triplets; the set lists the n_in within-category ones, in drawing
///   order, then the n_out out-of-class ones.
/// - Within-category draw: Q uniform over the test images whose category has at least
///   three test images; A and B two distinct other images of that category, uniform
///   (`nextInt` for A, then for B among the rest); kept when
///   |r(Q, A) - r(Q, B)| > `relevanceGap`, swapped so that r(Q, A) > r(Q, B).
/// - Out-of-class draw: Q uniform over the test images whose category has at least two
///   test images; A uniform over the other images of Q's category, B uniform over the
///   other categories' test images; kept when r(Q, A) > `relevanceGap`.
/// - A triplet already in the set is not added again; after `count * maxDrawsPerTriplet`
///   draws without reaching the count, `tooFewEvaluationTriplets` is thrown.
///
/// Provided triplets (`ImageDataset.providedEvaluationTriplets`) replace generation
/// unless the policy is `.ignore`: used as given (in order; indices in range, three
/// distinct images, no repeats, or `invalidProvidedTriplet`) or restricted to those
/// whose three images are in the test split. Relevance and the stream are not used then.
public enum EvaluationTripletBuilder {
    /// The conventional name of the stream.
    public static let streamName = "evaluation-triplets"

    /// `side` names the split the images come from in errors (`test`, `validation`).
    public static func build(dataset: ImageDataset, testIndices: [Int],
                             parameters: EvaluationTripletParameters = .init(),
                             stream: RandomStream, side: String = "test") throws(SamplingError) -> EvaluationTripletSet {
        try parameters.validate()
        if let provided = dataset.providedEvaluationTriplets, parameters.providedTriplets != .ignore {
            return try providedSet(provided, dataset: dataset, testIndices: testIndices, policy: parameters.providedTriplets,
                                   side: side)
        }
        let table = try RelevanceTable(dataset: dataset, subset: testIndices)
        var generator = Generator(table: table, gap: parameters.relevanceGap, side: side, stream: stream)
        let outOfClass = Int((parameters.outOfClassShare * Double(parameters.count)).rounded())
        let withinCategory = parameters.count - outOfClass
        try generator.draw(withinCategory, outOfClass: false, maxDraws: withinCategory * parameters.maxDrawsPerTriplet)
        try generator.draw(outOfClass, outOfClass: true, maxDraws: outOfClass * parameters.maxDrawsPerTriplet)
        return EvaluationTripletSet(triplets: generator.triplets, source: .generated, dataset: dataset)
    }

    private static func providedSet(_ provided: [Triplet], dataset: ImageDataset, testIndices: [Int],
                                    policy: ProvidedTripletPolicy, side: String) throws(SamplingError) -> EvaluationTripletSet {
        var seen = Set<Triplet>()
        for (position, triplet) in provided.enumerated() {
            let images = [triplet.query, triplet.positive, triplet.negative]
            guard images.allSatisfy({ $0 >= 0 && $0 < dataset.count }) else {
                throw .invalidProvidedTriplet(position: position, triplet: triplet,
                                              reason: "an index is outside 0..<\(dataset.count)")
            }
            guard Set(images).count == 3 else {
                throw .invalidProvidedTriplet(position: position, triplet: triplet, reason: "an image appears twice")
            }
            guard seen.insert(triplet).inserted else {
                throw .invalidProvidedTriplet(position: position, triplet: triplet, reason: "repeats an earlier triplet")
            }
        }
        guard policy == .restrictToTestSplit else {
            return EvaluationTripletSet(triplets: provided, source: .provided, dataset: dataset)
        }
        let test = Set(testIndices)
        let kept = provided.filter { test.contains($0.query) && test.contains($0.positive) && test.contains($0.negative) }
        guard !kept.isEmpty else {
            throw .tooFewEvaluationTriplets(requested: provided.count, found: 0,
                                            reason: "no provided triplet has all three images in the \(side) split")
        }
        return EvaluationTripletSet(triplets: kept, source: .provided, dataset: dataset)
    }

    /// The rejection sampler behind `build`.
    private struct Generator {
        let table: RelevanceTable
        let gap: Float
        let side: String
        var stream: RandomStream
        var triplets: [Triplet] = []
        var seen = Set<Triplet>()

        init(table: RelevanceTable, gap: Float, side: String, stream: RandomStream) {
            self.table = table
            self.gap = gap
            self.side = side
            self.stream = stream
        }

        /// Positions in `table.flatMembers` of images whose category has >= `minimum` images.
        func queries(minimum: Int) -> [Int] {
            table.members.indices.flatMap { c in
                table.members[c].count >= minimum ? Array(table.blockStart[c]..<table.blockStart[c + 1]) : []
            }
        }

        mutating func draw(_ wanted: Int, outOfClass: Bool, maxDraws: Int) throws(SamplingError) {
            guard wanted > 0 else { return }
            let candidates = queries(minimum: outOfClass ? 2 : 3)
            let kind = outOfClass ? "out-of-class" : "within-category"
            guard !candidates.isEmpty, !outOfClass || table.members.filter({ !$0.isEmpty }).count >= 2 else {
                throw .tooFewEvaluationTriplets(requested: wanted, found: 0, reason: "the \(side) split has no category "
                    + (outOfClass ? "with two images and another category" : "with three images")
                    + " for \(kind) triplets")
            }
            var found = 0
            for _ in 0..<maxDraws {
                let (c, q) = table.locate(flat: candidates[stream.nextInt(below: candidates.count)])
                let n = table.members[c].count
                let a = other(than: [q], below: n)
                let triplet: Triplet
                if outOfClass {
                    guard table.relevance(category: c, q, a) > gap else { continue }
                    let b = table.drawOutOfClass(category: c, &stream)
                    triplet = Triplet(query: table.members[c][q], positive: table.members[c][a], negative: b)
                } else {
                    let b = other(than: [q, a], below: n)
                    let ra = table.relevance(category: c, q, a), rb = table.relevance(category: c, q, b)
                    guard abs(ra - rb) > gap else { continue }
                    let (better, worse) = ra > rb ? (a, b) : (b, a)
                    triplet = Triplet(query: table.members[c][q], positive: table.members[c][better],
                                      negative: table.members[c][worse])
                }
                guard seen.insert(triplet).inserted else { continue }
                triplets.append(triplet)
                found += 1
                if found == wanted { return }
            }
            throw .tooFewEvaluationTriplets(requested: wanted, found: found, reason: "\(maxDraws) draws of "
                + "\(kind) triplets from \(table.memberCount) \(side) images found too few distinct ones with "
                + "a relevance gap above \(gap)")
        }

        /// A slot in `0..<n` not in `excluded` (distinct, ascending-sorted on use), uniform.
        mutating func other(than excluded: [Int], below n: Int) -> Int {
            var k = stream.nextInt(below: n - excluded.count)
            for e in excluded.sorted() where k >= e { k += 1 }
            return k
        }
    }
}
