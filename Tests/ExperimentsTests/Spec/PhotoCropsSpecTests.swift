import DatasetKit
import Experiments
import XCTest

/// `dataset: {kind: photo-crops, ...}`: every key, its default, and the errors for bad
/// values (file, line, key path, what is wrong).
final class PhotoCropsSpecTests: XCTestCase {
    func dataset(_ yaml: String, path: String = "Experiments/photos.yaml") throws -> DatasetChoice {
        try SpecParser.parse(text: "experiment: photos\nseeds: [1]\ndataset:\n" + yaml
                                 + "methods: [{name: hog, type: handcrafted, feature: hog}]\n", path: path).dataset
    }

    func testDefaultsAreEveryCatalogPhotograph() throws {
        let choice = try dataset("  kind: photo-crops\n")
        XCTAssertEqual(choice, .photoCrops(PhotoCropsDataset.Options()))
        guard case .photoCrops(let o) = choice else { return XCTFail() }
        XCTAssertEqual(o.photographs, PhotoCatalog.photographs)
        XCTAssertEqual(o.cropsPerPhotograph, SpecDefaults.photoCropsPerPhotograph)
        XCTAssertEqual(o.size, SpecDefaults.photoCropSize)
        XCTAssertEqual([o.minScale, o.maxScale], [SpecDefaults.photoCropMinScale, SpecDefaults.photoCropMaxScale])
        XCTAssertEqual(o.overlap, .intersectionOverUnion)
        XCTAssertEqual(o.cropSeed, SpecDefaults.photoCropSeed)
        XCTAssertEqual(o.root, "/")
    }

    func testEveryKey() throws {
        let choice = try dataset("""
              kind: photo-crops
              packages: [lxqt-themes, lomiri-wallpapers-20.04]
              crops_per_photograph: 10
              size: 32
              min_scale: 0.2
              max_scale: 0.5
              relevance: intersection-over-smaller
              crop_seed: 9
              root: extracted

            """)
        let expected = PhotoCropsDataset.Options(
            photographs: PhotoCatalog.photographs.filter { ["lxqt-themes", "lomiri-wallpapers-20.04"].contains($0.package) },
            cropsPerPhotograph: 10, size: 32, minScale: 0.2, maxScale: 0.5, overlap: .intersectionOverSmaller,
            cropSeed: 9, root: "Experiments/extracted")
        XCTAssertEqual(choice, .photoCrops(expected))
        XCTAssertEqual(expected.photographs.count, 12)
    }

    func testPhotographsPickExactly() throws {
        let choice = try dataset("""
              kind: photo-crops
              photographs: [lxqt-themes/fog.jpg, mate-backgrounds/nature/Aqua.jpg]
              root: /srv/debian

            """)
        guard case .photoCrops(let o) = choice else { return XCTFail("\(choice)") }
        XCTAssertEqual(o.photographs.map(\.identifier), ["lxqt-themes/fog.jpg", "mate-backgrounds/nature/Aqua.jpg"])
        XCTAssertEqual(o.root, "/srv/debian")
        XCTAssertEqual(o.path(of: o.photographs[1]), "/srv/debian/usr/share/backgrounds/mate/nature/Aqua.jpg")
    }

    func testBadValues() {
        // (yaml after `kind: photo-crops`, line, key path, fragment, suggestion); the kind is on line 4.
        let cases: [(String, Int, String, String, String?)] = [
            ("packages: [mate-backgrounds]\n  photographs: [lxqt-themes/fog.jpg]\n", 6, "dataset.photographs",
             "give packages or photographs, not both", nil),
            ("packages: [mate-background]\n", 5, "dataset.packages[0]",
             "unknown value 'mate-background'; did you mean 'mate-backgrounds'?", "mate-backgrounds"),
            ("packages: [lxqt-themes, lxqt-themes]\n", 5, "dataset.packages[1]", "package 'lxqt-themes' is listed twice", nil),
            ("packages: []\n", 5, "dataset.packages", "the list is empty", nil),
            ("photographs: [lxqt-themes/fog.png]\n", 5, "dataset.photographs[0]",
             "did you mean 'lxqt-themes/fog.jpg'?", "lxqt-themes/fog.jpg"),
            ("photographs: [lxqt-themes/fog.jpg, lxqt-themes/fog.jpg]\n", 5, "dataset.photographs[1]",
             "photograph 'lxqt-themes/fog.jpg' is listed twice", nil),
            ("crops_per_photograph: 1\n", 5, "dataset.crops_per_photograph", "1 is out of range (allowed: an integer in 2...100000)", nil),
            ("size: 4\n", 5, "dataset.size", "4 is out of range (allowed: an integer in 8...1024)", nil),
            ("min_scale: 0\n", 5, "dataset.min_scale", "allowed: a fraction of the shorter side in (0, 1]", nil),
            ("min_scale: 0.6\n  max_scale: 0.5\n", 6, "dataset.max_scale", "allowed: a fraction of the shorter side in [min_scale, 1] = [0.6, 1]", nil),
            ("relevance: IoU\n", 5, "dataset.relevance", "did you mean 'iou'?", "iou"),
            ("crop_seed: -1\n", 5, "dataset.crop_seed", "-1 is out of range", nil),
            ("themes: [Tango]\n", 5, "dataset.themes", "unknown key (allowed: kind, packages, photographs", nil),
        ]
        for (yaml, line, keyPath, fragment, suggestion) in cases {
            do {
                _ = try dataset("  kind: photo-crops\n  " + yaml)
                XCTFail("\(yaml): parsed")
            } catch let error as SpecError {
                XCTAssertEqual(error.line, line, "\(yaml): \(error)")
                XCTAssertEqual(error.keyPath, keyPath, "\(yaml): \(error)")
                XCTAssertTrue(error.description.contains(fragment), "\(yaml): '\(error)' lacks '\(fragment)'")
                XCTAssertEqual(error.suggestion, suggestion, "\(yaml): \(error)")
                XCTAssertTrue(error.description.hasPrefix("Experiments/photos.yaml:\(line):"), "\(error)")
            } catch {
                XCTFail("\(yaml): not a SpecError: \(error)")
            }
        }
    }
}
