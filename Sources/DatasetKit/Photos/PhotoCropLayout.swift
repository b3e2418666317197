import TensorKit

/// Where the crops of one photograph lie: `count` square windows in photograph pixels,
/// drawn from the stream `photo-crops/<photograph identifier>` of the crop seed (not the
/// run seed: the data set is the same in every run of a spec, like a data set of files).
///
/// With `s = min(width, height)`, crop k draws, in order:
/// 1. its side `side = low + nextInt(below: high - low + 1)`, uniform over the integers
///    `low = ceil(minScale * s) ... high = floor(maxScale * s)` (`low` at least 1);
/// 2. its position, `CropWindow.random`: `top = nextInt(below: height - side + 1)`, then
///    `left = nextInt(below: width - side + 1)`.
///
/// Crop k depends only on (crop seed, photograph, its size, scales, k): asking for more
/// crops appends to the list, and the other photographs chosen do not matter.
public enum PhotoCropLayout {
    /// The stream the windows of `photograph` are drawn from.
    public static func streamName(_ photograph: Photograph) -> String { "photo-crops/" + photograph.identifier }

    /// The crop sides allowed for a `width x height` photograph; empty when the scales
    /// leave no whole pixel (`maxScale * min(width, height) < 1`).
    public static func sides(width: Int, height: Int, minScale: Double, maxScale: Double) -> ClosedRange<Int>? {
        let short = Double(min(width, height))
        let low = max(1, Int((minScale * short).rounded(.up))), high = Int((maxScale * short).rounded(.down))
        return low <= high ? low...high : nil
    }

    /// The `count` windows of a `width x height` photograph; nil when `sides` is empty.
    public static func windows(width: Int, height: Int, count: Int, minScale: Double, maxScale: Double,
                               seed: UInt64, photograph: Photograph) -> [CropWindow]? {
        guard let sides = sides(width: width, height: height, minScale: minScale, maxScale: maxScale) else { return nil }
        var stream = RandomStream(seed: seed, name: streamName(photograph))
        return (0..<count).map { _ in
            let side = sides.lowerBound + stream.nextInt(below: sides.count)
            return CropWindow.random(height: side, width: side, imageHeight: height, imageWidth: width, stream: &stream)
        }
    }
}
