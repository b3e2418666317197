import DatasetKit

extension Triplet {
    /// Throws unless all three indices are rows `0..<rows` of a feature matrix.
    func checkRange(rows: Int) throws(FeatureError) {
        if query < 0 || query >= rows { throw .tripletOutOfRange(index: query, rows: rows) }
        if positive < 0 || positive >= rows { throw .tripletOutOfRange(index: positive, rows: rows) }
        if negative < 0 || negative >= rows { throw .tripletOutOfRange(index: negative, rows: rows) }
    }
}
