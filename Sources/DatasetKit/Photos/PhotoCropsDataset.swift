import Foundation
import Imaging
import TensorKit

/// The `photo-crops` data set (README.md in this directory): square crops of real
/// photographs from Debian wallpaper packages, with graded relevance by overlap. Two crops
/// of one photograph showing much of the same scene are more relevant than two that
/// share little or nothing, the analogue of the paper's images of one query ranked by
/// how similar they look (README, "The paper in brief").
///
/// - Photographs are ordered by identifier (`<package>/<path>`, UTF-8 byte order); the
///   order of `options.photographs` does not matter. Photograph p is category p, named by
///   its identifier.
/// - Image `i` is crop `k = i % n` of photograph `p = i / n`, n = `cropsPerPhotograph`;
///   its window (photograph pixels) comes from `PhotoCropLayout` with `options.cropSeed`,
///   never from the run seed, so every run of a spec sees the same images.
/// - Images are `[3, size, size]`, 8-bit values `v / 255` (`Image.squareCrops`).
/// - r(a, b) = `options.overlap` of the two windows for crops of one photograph, 0 across
///   photographs.
/// - Identifiers are `<photograph identifier>#<k>@<left>,<top>+<side>`, e.g.
///   `mate-backgrounds/nature/Aqua.jpg#3@512,140+803`, so a changed photograph (another
///   size, other windows) changes the data set digest.
///
/// `init` decodes every photograph once (in parallel, one photograph per work item), cuts
/// its crops and keeps only them: `count * 3 * size * size` bytes (48 x 48 crops at 64 px:
/// 27 MiB); a decoded photograph (up to 6028 x 3391 x 3 bytes, 61 MiB, in the catalog)
/// lives only while its crops are cut.
public struct PhotoCropsDataset: ImageDataset {
    public var kind: String { "photo-crops" }
    public let options: Options
    /// The photographs in dataset order; `categoryNames[p] == photographs[p].identifier`.
    public let photographs: [Photograph]
    /// Width and height of each photograph, in pixels.
    public let photographSizes: [(width: Int, height: Int)]
    public let categoryNames: [String]
    /// The window of every image, by index.
    private let windows: [CropWindow]
    /// The 8-bit crops of each photograph, `[n, 3, size, size]` flat.
    private let crops: [[UInt8]]

    /// Decodes the photographs and cuts the crops.
    ///
    /// Throws `DatasetError.invalidParameter` for bad options, `.missingPhotograph` (naming
    /// the Debian package) for a file that is not there (checked for every photograph
    /// before any is decoded), and `.unreadableImage` for a file that does not decode or is
    /// too small for a crop.
    public init(options: Options) throws {
        try options.validate()
        let photographs = options.photographs.sorted { $0.identifier.utf8.lexicographicallyPrecedes($1.identifier.utf8) }
        for p in photographs where !FileManager.default.fileExists(atPath: options.path(of: p)) {
            throw DatasetError.missingPhotograph(path: options.path(of: p), debianPackage: p.package)
        }
        var cut = [(size: (width: Int, height: Int), windows: [CropWindow], crops: [UInt8])?](repeating: nil,
                                                                                             count: photographs.count)
        var errors = [Error?](repeating: nil, count: photographs.count)
        cut.withUnsafeMutableBufferPointer { cut in
            errors.withUnsafeMutableBufferPointer { errors in
                Parallel.forEach(photographs.count) { p, _ in
                    do {
                        cut[p] = try Self.cropsOf(photographs[p], options: options)
                    } catch {
                        errors[p] = error
                    }
                }
            }
        }
        if let error = errors.lazy.compactMap({ $0 }).first { throw error }
        self.options = options
        self.photographs = photographs
        self.categoryNames = photographs.map(\.identifier)
        self.photographSizes = cut.map { $0!.size }
        self.windows = cut.flatMap { $0!.windows }
        self.crops = cut.map { $0!.crops }
    }

    public var count: Int { windows.count }

    public func category(of index: Int) -> Int { index / options.cropsPerPhotograph }

    /// The photograph image `index` was cut from.
    public func photograph(of index: Int) -> Photograph { photographs[category(of: index)] }

    /// The window of image `index`, in pixels of its photograph.
    public func window(of index: Int) -> CropWindow { windows[index] }

    public func relevance(_ a: Int, _ b: Int) -> Float {
        guard category(of: a) == category(of: b) else { return 0 }
        return options.overlap.relevance(windows[a], windows[b])
    }

    /// Never throws: the crops were cut by `init`.
    public func image(at index: Int) throws -> PlanarImage {
        let size = options.size, plane = 3 * size * size
        let start = (index % options.cropsPerPhotograph) * plane
        let samples = crops[category(of: index)][start..<(start + plane)]
        return PlanarImage(channels: 3, height: size, width: size, pixels: samples.map { Float($0) / 255 })
    }

    /// The photograph: crops of one photograph overlap or may, whatever their windows.
    public func origin(of index: Int) -> String { photograph(of: index).identifier }

    public func identifier(of index: Int) -> String {
        let w = windows[index]
        return "\(photograph(of: index).identifier)#\(index % options.cropsPerPhotograph)@\(w.left),\(w.top)+\(w.width)"
    }

    /// Decodes one photograph, draws its windows and cuts its crops.
    private static func cropsOf(_ photograph: Photograph, options: Options) throws
        -> (size: (width: Int, height: Int), windows: [CropWindow], crops: [UInt8]) {
        let path = options.path(of: photograph)
        let image = try Image(decodingFile: path)
        guard let windows = PhotoCropLayout.windows(width: image.width, height: image.height,
                                                    count: options.cropsPerPhotograph, minScale: options.minScale,
                                                    maxScale: options.maxScale, seed: options.cropSeed,
                                                    photograph: photograph) else {
            throw DatasetError.unreadableImage(
                path: path, reason: "\(image.width) x \(image.height) pixels leave no whole-pixel crop side between "
                    + "\(options.minScale) and \(options.maxScale) of the shorter side")
        }
        return ((image.width, image.height), windows, try image.squareCrops(windows, size: options.size))
    }
}
