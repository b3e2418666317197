import DatasetKit
import Foundation
import XCTest

/// The photo-crops data set on the installed Debian wallpaper packages
/// (plasma-workspace-wallpapers, mate-backgrounds, lomiri-wallpapers-16.04,
/// lomiri-wallpapers-20.04, lxqt-themes; .ci/install-deps installs them).
final class PhotoCropsInstalledTests: XCTestCase {
    func testEveryCatalogPhotographIsInstalled() {
        let options = PhotoCropsDataset.Options()
        let missing = PhotoCatalog.photographs.filter { !FileManager.default.fileExists(atPath: options.path(of: $0)) }
        XCTAssertEqual(missing.map(\.identifier), [], "install: apt-get install "
                       + Set(missing.map(\.package)).sorted().joined(separator: " "))
        XCTAssertEqual(PhotoCatalog.photographs.count, 48)
        XCTAssertEqual(Set(PhotoCatalog.photographs.map(\.identifier)).count, 48)
        XCTAssertEqual(Set(PhotoCatalog.photographs.map(\.package)), Set(PhotoCatalog.packages))
    }

    /// Three small photographs of two packages, 4 crops each at 16 px (all defaults but
    /// these): windows and pixels fixed by the spec.
    static let slice = PhotoCropsDataset.Options(
        photographs: ["mate-backgrounds/nature/GreenMeadow.jpg", "lomiri-wallpapers-16.04/Picture_1A_by_freespace.jpg",
                      "mate-backgrounds/nature/FreshFlower.jpg"].map { PhotoCatalog.photograph($0)! },
        cropsPerPhotograph: 4, size: 16)

    /// The same crops (windows pinned, pixels hashed) every time the slice is opened.
    func testSmallSliceLoadsDeterministically() throws {
        let first = try PhotoCropsDataset(options: Self.slice), second = try PhotoCropsDataset(options: Self.slice)
        XCTAssertEqual(first.photographSizes.map { [$0.width, $0.height] }, [[1365, 1074], [1600, 1203], [1280, 1024]])
        let identifiers = (0..<first.count).map(first.identifier(of:))
        XCTAssertEqual(identifiers, (0..<second.count).map(second.identifier(of:)))
        XCTAssertEqual(identifiers, [
            "lomiri-wallpapers-16.04/Picture_1A_by_freespace.jpg#0@166,68+961",
            "lomiri-wallpapers-16.04/Picture_1A_by_freespace.jpg#1@13,180+706",
            "lomiri-wallpapers-16.04/Picture_1A_by_freespace.jpg#2@125,132+820",
            "lomiri-wallpapers-16.04/Picture_1A_by_freespace.jpg#3@294,368+515",
            "mate-backgrounds/nature/FreshFlower.jpg#0@1,283+896",
            "mate-backgrounds/nature/FreshFlower.jpg#1@607,87+587",
            "mate-backgrounds/nature/FreshFlower.jpg#2@115,384+467",
            "mate-backgrounds/nature/FreshFlower.jpg#3@621,159+457",
            "mate-backgrounds/nature/GreenMeadow.jpg#0@592,253+586",
            "mate-backgrounds/nature/GreenMeadow.jpg#1@115,151+838",
            "mate-backgrounds/nature/GreenMeadow.jpg#2@222,436+570",
            "mate-backgrounds/nature/GreenMeadow.jpg#3@30,9+763",
        ])
        XCTAssertEqual(try digest(first), try digest(second))
        // With this system's libjpeg-turbo (Debian 12: 1:2.1.5-2) and the package versions above.
        XCTAssertEqual(try digest(first), "76c53bfb02b5349b")
        for a in 0..<first.count {
            for b in 0..<first.count { XCTAssertEqual(first.relevance(a, b), second.relevance(a, b)) }
        }
    }

    /// Three crops of the slice against Pillow + numpy (Tests/Reference/make_photo_crop_fixture.py):
    /// another JPEG decoder, cut and area-resized independently, within one level per
    /// sample (the script measured that a window one pixel off differs by up to 4).
    func testCropsMatchPillowAndNumpy() throws {
        let fixture = try JSONDecoder().decode(CropFixture.self, from: Data(contentsOf: CropFixture.url))
        let data = try PhotoCropsDataset(options: Self.slice)
        XCTAssertEqual(fixture.size, 16)
        for crop in fixture.crops {
            let w = data.window(of: crop.index)
            XCTAssertEqual([w.left, w.top, w.width, w.height], [crop.left, crop.top, crop.side, crop.side])
            XCTAssertEqual(Self.slice.path(of: data.photograph(of: crop.index)), crop.file)
            let samples = try data.image(at: crop.index).pixels.map { Int(($0 * 255).rounded()) }
            let worst = zip(samples, crop.samples).map { abs($0 - $1) }.max()!
            XCTAssertLessThanOrEqual(worst, fixture.tolerance, "crop \(crop.index) of \(crop.file)")
        }
    }

    struct CropFixture: Decodable {
        struct Crop: Decodable {
            let index: Int
            let file: String
            let left: Int
            let top: Int
            let side: Int
            let samples: [Int]
        }
        let size: Int
        let tolerance: Int
        let crops: [Crop]

        static let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()  // Photos, DatasetKitTests, Tests
            .appendingPathComponent("Fixtures/photo-crops.json")
    }

    /// 64-bit FNV-1a of every crop's 8-bit samples, in index order, as hex.
    func digest(_ data: PhotoCropsDataset) throws -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in 0..<data.count {
            for value in try data.image(at: i).pixels {
                hash = (hash ^ UInt64(UInt8((value * 255).rounded()))) &* 0x0000_0100_0000_01b3
            }
        }
        return String(hash, radix: 16)
    }
}
