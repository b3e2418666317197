/// How much two crops of one photograph overlap: the graded relevance r(a, b) of the
/// `photo-crops` data set (the paper's relevance r_{i,j}; README, "The paper in brief").
/// Computed exactly from the integer rectangles in photograph pixels, in Double, then
/// rounded to Float:
///
///     intersection-over-union:    r = |A ∩ B| / |A ∪ B| = I / (|A| + |B| - I)
///     intersection-over-smaller:  r = I / min(|A|, |B|)
///
/// Both are symmetric, in [0, 1], 0 for disjoint crops and 1 for the same rectangle; only
/// IoU drops when one crop lies inside a much larger one (the same content at another
/// scale), intersection-over-smaller then gives 1.
public enum CropOverlap: String, CaseIterable, Equatable, Sendable {
    case intersectionOverUnion = "iou"
    case intersectionOverSmaller = "intersection-over-smaller"

    /// r(a, b) for two rectangles of the same photograph.
    public func relevance(_ a: CropWindow, _ b: CropWindow) -> Float {
        let i = Double(Self.intersectionArea(a, b))
        guard i > 0 else { return 0 }
        let areaA = Double(a.height * a.width), areaB = Double(b.height * b.width)
        switch self {
        case .intersectionOverUnion: return Float(i / (areaA + areaB - i))
        case .intersectionOverSmaller: return Float(i / min(areaA, areaB))
        }
    }

    /// Pixels in both rectangles.
    static func intersectionArea(_ a: CropWindow, _ b: CropWindow) -> Int {
        let rows = min(a.top + a.height, b.top + b.height) - max(a.top, b.top)
        let columns = min(a.left + a.width, b.left + b.width) - max(a.left, b.left)
        return max(0, rows) * max(0, columns)
    }
}
