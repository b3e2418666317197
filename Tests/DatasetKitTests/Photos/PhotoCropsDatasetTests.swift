import DatasetKit
import Foundation
import Imaging
import TensorKit
import XCTest

/// The photo-crops data set on photographs written into a scratch root laid out like the
/// installed packages, so every pixel of every crop is known; `PhotoCropsInstalledTests`
/// covers the real wallpapers.
final class PhotoCropsDatasetTests: XCTestCase {
    private var root: FolderScratch!

    /// 100 x 80 RGB, R = x, G = y, B = 200: a crop's pixels say where it was cut.
    let coordinates = Photograph(package: "mate-backgrounds", path: "test/coordinates.png", caption: "x, y ramps")
    /// 80 x 120 (portrait) gray 100 with alpha 128, in another package's directory.
    let translucent = Photograph(package: "lxqt-themes", path: "translucent.png", caption: "gray + alpha")

    override func setUpWithError() throws {
        root = try FolderScratch("photos")
        var samples: [UInt8] = []
        for y in 0..<80 { for x in 0..<100 { samples += [UInt8(x), UInt8(y), 200] } }
        try root.write("usr/share/backgrounds/mate/test/coordinates.png",
                       bytes: try ImageCodec.encodePNG(Image(width: 100, height: 80, channels: 3, pixels: samples)))
        try root.writePNG("usr/share/lxqt/wallpapers/translucent.png", width: 80, height: 120, pixel: [100, 128])
    }

    override func tearDown() { Parallel.configure(threads: 1) }

    /// Crops of side 45 (0.5625 of the shorter side, 80, of both photographs) resized to
    /// 15: each output pixel is the mean of a 3 x 3 block.
    func options(crops: Int = 6, size: Int = 15, overlap: CropOverlap = .intersectionOverUnion,
                 seed: UInt64 = 1) -> PhotoCropsDataset.Options {
        PhotoCropsDataset.Options(photographs: [translucent, coordinates], cropsPerPhotograph: crops, size: size,
                                  minScale: 0.5625, maxScale: 0.5625, overlap: overlap, cropSeed: seed, root: root.path)
    }

    func testLayoutCategoriesAndIdentifiers() throws {
        let data = try PhotoCropsDataset(options: options())
        XCTAssertEqual(data.kind, "photo-crops")
        XCTAssertEqual(data.count, 12)
        // Ordered by identifier, whatever the order given.
        XCTAssertEqual(data.categoryNames, ["lxqt-themes/translucent.png", "mate-backgrounds/test/coordinates.png"])
        XCTAssertEqual((0..<12).map(data.category(of:)), [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
        XCTAssertEqual(data.photographSizes.map { [$0.width, $0.height] }, [[80, 120], [100, 80]])
        for i in 0..<data.count {
            let w = data.window(of: i)
            XCTAssertEqual(data.identifier(of: i),
                           "\(data.categoryNames[data.category(of: i)])#\(i % 6)@\(w.left),\(w.top)+45")
        }
        let expected = PhotoCropLayout.windows(width: 100, height: 80, count: 6, minScale: 0.5625, maxScale: 0.5625,
                                               seed: 1, photograph: coordinates)!
        XCTAssertEqual((6..<12).map(data.window(of:)), expected)
    }

    /// Crop pixel (y, x) of the coordinates photograph is the mean of a 3 x 3 block, whose
    /// R is left + 3x + 1 and G is top + 3y + 1 exactly.
    func testPixelsComeFromTheirWindow() throws {
        let data = try PhotoCropsDataset(options: options())
        for i in 6..<12 {
            let image = try data.image(at: i), w = data.window(of: i)
            XCTAssertEqual([image.channels, image.height, image.width], [3, 15, 15])
            for y in 0..<15 {
                for x in 0..<15 {
                    XCTAssertEqual(image[0, y, x], Float(w.left + 3 * x + 1) / 255, "R at \(y), \(x) of \(w)")
                    XCTAssertEqual(image[1, y, x], Float(w.top + 3 * y + 1) / 255, "G at \(y), \(x) of \(w)")
                    XCTAssertEqual(image[2, y, x], Float(200) / 255)
                }
            }
        }
        // Gray 100 at alpha 128 over white: (100 * 128 + 255 * 127) / 255 = 177.2 -> 177.
        let translucent = try data.image(at: 0)
        XCTAssertEqual(Set(translucent.pixels), [Float(177) / 255])
    }

    /// Without resizing (size = side) a crop is the window itself.
    func testCropAtItsOwnSizeIsTheWindow() throws {
        let data = try PhotoCropsDataset(options: options(crops: 2, size: 45))
        let image = try data.image(at: 2), w = data.window(of: 2)
        for y in [0, 17, 44] {
            for x in [0, 30, 44] {
                XCTAssertEqual(image[0, y, x], Float(w.left + x) / 255)
                XCTAssertEqual(image[1, y, x], Float(w.top + y) / 255)
            }
        }
    }

    /// On a noisy RGBA photograph, for a shrinking ratio that is not whole (45 -> 13) and for
    /// growing (45 -> 64), every crop equals `Resize` (area) of the decoded window, bit for bit.
    func testCropsEqualResizeOfTheDecodedWindow() throws {
        var generator = RandomStream(seed: 11, name: "noise")
        let noisy = Image(width: 90, height: 80, channels: 4, pixels: (0..<(90 * 80 * 4)).map { _ in UInt8(generator.nextInt(below: 256)) })
        try root.write("usr/share/lxqt/wallpapers/noisy.png", bytes: try ImageCodec.encodePNG(noisy))
        let photograph = Photograph(package: "lxqt-themes", path: "noisy.png", caption: "RGBA noise")
        let planes = PlanarImage(rgbFrom: noisy)
        for size in [13, 64] {
            var o = options(crops: 5, size: size)
            o.photographs = [photograph]
            let data = try PhotoCropsDataset(options: o)
            for i in 0..<data.count {
                let expected = try Resize(height: size, width: size, mode: .area).apply(planes.cropped(to: data.window(of: i)))
                XCTAssertEqual(try data.image(at: i).pixels, expected.pixels.map { Float(UInt8(($0 * 255).rounded())) / 255 },
                               "crop \(i) at \(size) px")
            }
        }
    }

    func testRelevanceIsTheOverlapOfTheWindowsAndZeroAcrossPhotographs() throws {
        for overlap in CropOverlap.allCases {
            let data = try PhotoCropsDataset(options: options(overlap: overlap))
            for a in 0..<data.count {
                for b in 0..<data.count where a != b {
                    let expected = data.category(of: a) == data.category(of: b)
                        ? overlap.relevance(data.window(of: a), data.window(of: b)) : 0
                    XCTAssertEqual(data.relevance(a, b), expected, "\(overlap) \(a) \(b)")
                }
            }
        }
    }

    /// Two windows of the coordinates photograph, with the overlap worked out by hand.
    func testPinnedWindowsAndTheirOverlap() throws {
        let iou = try PhotoCropsDataset(options: options())
        let ios = try PhotoCropsDataset(options: options(overlap: .intersectionOverSmaller))
        // Columns 28..<73 and rows 18..<63; columns 39..<84 and rows 29..<74.
        XCTAssertEqual(iou.identifier(of: 6), "mate-backgrounds/test/coordinates.png#0@28,18+45")
        XCTAssertEqual(iou.identifier(of: 7), "mate-backgrounds/test/coordinates.png#1@39,29+45")
        // Intersection columns 39..<73 and rows 29..<63: 34 x 34 = 1156 pixels of 45 x 45 = 2025.
        XCTAssertEqual(iou.relevance(6, 7), Float(1156.0 / (2025.0 + 2025.0 - 1156.0)))
        XCTAssertEqual(ios.relevance(6, 7), Float(1156.0 / 2025.0))
        XCTAssertEqual(iou.relevance(0, 6), 0)
    }

    func testSameOptionsSameDataAcrossOpensAndThreadCounts() throws {
        Parallel.configure(threads: 1)
        let one = try PhotoCropsDataset(options: options())
        Parallel.configure(threads: 2)
        let two = try PhotoCropsDataset(options: options())
        XCTAssertEqual((0..<one.count).map(one.identifier(of:)), (0..<two.count).map(two.identifier(of:)))
        for i in 0..<one.count { XCTAssertEqual(try one.image(at: i), try two.image(at: i)) }
        let reseeded = try PhotoCropsDataset(options: options(seed: 2))
        XCTAssertNotEqual((0..<one.count).map(one.window(of:)), (0..<reseeded.count).map(reseeded.window(of:)))
    }

    /// The data set plugs into the relevance table and the evaluation triplets.
    func testEvaluationTripletsFollowOverlap() throws {
        let data = try PhotoCropsDataset(options: options(crops: 16, size: 9))
        let split = DatasetSplit(dataset: data, testFraction: 0.5, streams: RandomStreams(seed: 3))
        let set = try EvaluationTripletBuilder.build(
            dataset: data, testIndices: split.test, parameters: EvaluationTripletParameters(count: 20, relevanceGap: 0.1),
            stream: RandomStream(seed: 3, name: EvaluationTripletBuilder.streamName))
        XCTAssertEqual(set.triplets.count, 20)
        for t in set.triplets {
            XCTAssertEqual(data.category(of: t.query), data.category(of: t.negative))
            XCTAssertGreaterThan(data.relevance(t.query, t.positive) - data.relevance(t.query, t.negative), 0.1)
        }
    }

    func testMissingPhotographNamesThePathAndThePackage() {
        let aqua = PhotoCatalog.photograph("mate-backgrounds/nature/Aqua.jpg")!
        var o = options()
        o.photographs.append(aqua)
        assertFolderError(DatasetError.missingPhotograph(path: root.path + "/usr/share/backgrounds/mate/nature/Aqua.jpg",
                                                         debianPackage: "mate-backgrounds")) {
            try PhotoCropsDataset(options: o)
        }
        XCTAssertEqual(DatasetError.missingPhotograph(path: "/usr/share/backgrounds/mate/nature/Aqua.jpg",
                                                      debianPackage: "mate-backgrounds").description,
                       "/usr/share/backgrounds/mate/nature/Aqua.jpg: no such file; the Debian package mate-backgrounds "
                           + "installs it (apt-get install mate-backgrounds)")
    }

    func testUnreadableAndTooSmallPhotographs() throws {
        try root.write("usr/share/lxqt/wallpapers/broken.jpg", text: "not an image")
        try root.writePNG("usr/share/lxqt/wallpapers/tiny.png", width: 1, height: 1, pixel: [0, 0, 0])
        var o = options()
        o.photographs = [Photograph(package: "lxqt-themes", path: "broken.jpg", caption: "")]
        XCTAssertThrowsError(try PhotoCropsDataset(options: o)) { error in
            guard case DatasetError.unreadableImage(let path, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, root.path + "/usr/share/lxqt/wallpapers/broken.jpg")
            XCTAssertTrue(reason.contains("not a PNG or JPEG file"), reason)
        }
        o.photographs = [Photograph(package: "lxqt-themes", path: "tiny.png", caption: "")]
        assertFolderError(DatasetError.unreadableImage(
            path: root.path + "/usr/share/lxqt/wallpapers/tiny.png",
            reason: "1 x 1 pixels leave no whole-pixel crop side between 0.5625 and 0.5625 of the shorter side")) {
            try PhotoCropsDataset(options: o)
        }
    }

    func testBadOptionsNameTheParameter() {
        func expectInvalid(_ name: String, _ change: (inout PhotoCropsDataset.Options) -> Void) {
            var o = options()
            change(&o)
            XCTAssertThrowsError(try PhotoCropsDataset(options: o), name) { error in
                guard case DatasetError.invalidParameter(let parameter, _, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(parameter, "photo-crops." + name)
            }
        }
        expectInvalid("photographs") { $0.photographs = [] }
        expectInvalid("photographs") { $0.photographs.append($0.photographs[0]) }
        expectInvalid("photographs") { $0.photographs = [Photograph(package: "adwaita-icon-theme", path: "a.png", caption: "")] }
        expectInvalid("photographs") { $0.photographs = [Photograph(package: "lxqt-themes", path: "../../x.png", caption: "")] }
        expectInvalid("cropsPerPhotograph") { $0.cropsPerPhotograph = 1 }
        expectInvalid("size") { $0.size = 4 }
        expectInvalid("minScale") { $0.minScale = 0 }
        expectInvalid("maxScale") { $0.maxScale = 0.5 }
        expectInvalid("maxScale") { $0.maxScale = 1.5 }
    }
}
