import Evaluation
import RunFile

/// Every row of a table against every other on similarity precision: the difference of
/// their means over seeds and the exact paired sign-flip test (`SignFlipTest`) of their
/// per-triplet outcomes pooled over the seeds both have, as `GroupSummary` computes it for
/// the best row (it keeps these in `GroupSummary.pairs`). The report prints them as a matrix
/// under the table, so that a claim such as "deep ranking ahead of OASIS" has its own p, not
/// only the one against the best row.
public struct PairedComparisons: Equatable {
    /// Row names, in the table's order.
    public var rows: [String]
    /// `differences[i][j]`: mean precision of row i minus that of row j (fraction; nil on the
    /// diagonal or without a mean).
    public var differences: [[Double?]]
    /// `tests[i][j]`: the test of row i against row j (nil on the diagonal or unpaired).
    public var tests: [[SignFlipTest?]]

    /// Tables with more rows than this get no matrix (it would not be readable).
    public static let maximumRows = 12

    /// nil for a table of one row or of more than `maximumRows`. Each pair is tested once:
    /// row j against row i is row i against row j with the sign of the statistic turned.
    init?(rows: [RowSummary], group: ExperimentGroup) throws {
        guard rows.count >= 2, rows.count <= Self.maximumRows else { return nil }
        let precision = MetricName.similarityPrecision
        let keys = rows.map { GroupSummary.key(method: $0.method, row: $0.row) }
        var differences = [[Double?]](repeating: [Double?](repeating: nil, count: rows.count), count: rows.count)
        var tests = [[SignFlipTest?]](repeating: [SignFlipTest?](repeating: nil, count: rows.count), count: rows.count)
        for i in rows.indices {
            for j in rows.indices where j > i {
                if let a = rows[i].metrics[precision]?.mean, let b = rows[j].metrics[precision]?.mean {
                    differences[i][j] = a - b
                    differences[j][i] = b - a
                }
                let test = try GroupSummary.test(group, keys[i], against: keys[j], \.outcomes, halfUnits: true)
                tests[i][j] = test
                tests[j][i] = test.map { var turned = $0; turned.statistic = -$0.statistic; return turned }
            }
        }
        self.rows = rows.map(\.row)
        self.differences = differences
        self.tests = tests
    }
}
