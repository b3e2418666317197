import DatasetKit
import Foundation
import XCTest

/// The PNG themes of the committed results read exactly as they did before SVG themes
/// could join: the same images in the same order with the same pixels. The pinned FNV-1a
/// digests are of the listing and the decoded planes that the code before SVG support
/// (commit 1a8e35e) wrote out, hashed in Python (Debian 12 packages tango-icon-theme 0.8.90-11,
/// elementary-xfce-icon-theme 0.17-1, gnome-icon-theme 3.12.0-5, mate-icon-theme 1.26.0-1,
/// lxde-icon-theme 0.5.1-2.1, oxygen-icon-theme 5:5.103.0-1).
final class IconThemesUnchangedTests: XCTestCase {
    /// FNV-1a, 64 bits.
    private struct FNV1a {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        mutating func add<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
            for byte in bytes { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        }
    }

    func testRecommendedPNGThemesAt32PixelsAreUnchanged() throws {
        let themes = IconThemesDataset.Options.recommendedThemes
        let missing = themes.filter { !FileManager.default.fileExists(atPath: "/usr/share/icons/\($0)/index.theme") }
        XCTAssertEqual(missing, [], "install: apt-get install "
                       + Set(missing.compactMap { IconThemePackages.debianPackage[$0] }).sorted().joined(separator: " "))
        guard missing.isEmpty else { return }

        let data = try IconThemesDataset(options: .init(themes: themes))
        XCTAssertEqual(data.count, 1560)
        // One line per image: identifier, category index, category name, icon name, theme (tab-separated).
        let listing = (0..<data.count).map { i in
            [data.identifier(of: i), "\(data.category(of: i))", data.categoryNames[data.category(of: i)],
             data.iconName(of: i), data.theme(of: i)].joined(separator: "\t")
        }.joined(separator: "\n")
        var listingDigest = FNV1a()
        listingDigest.add(listing.utf8)
        XCTAssertEqual(listingDigest.value, 0xf087_a468_1c59_82b1, "the image list, its order or its categories changed")

        // The planes of every image, [3, 32, 32] Float32 each, little-endian, in dataset order.
        var pixelDigest = FNV1a()
        for i in 0..<data.count {
            try data.image(at: i).pixels.withUnsafeBytes { pixelDigest.add($0) }
        }
        XCTAssertEqual(pixelDigest.value, 0x7637_907f_344c_35b8, "the decoded pixels changed")
        XCTAssertEqual(data.exclusions, [.alias: 3432, .duplicate: 83, .tooFewThemes: 1199, .wrongSize: 5])
    }
}
