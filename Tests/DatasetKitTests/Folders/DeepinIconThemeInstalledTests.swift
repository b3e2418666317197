import DatasetKit
import Foundation
import XCTest

/// A slice of deepin's bloom (Debian 12 deepin-icon-theme) as Debian ships it: its
/// `index.theme` (with `MinSize=12px`), two icons, and one of its 5 SVGs that librsvg cannot
/// read (an undeclared `inkscape:` prefix).
final class DeepinIconThemeInstalledTests: XCTestCase {
    static let files = ["index.theme", "apps/32/deepin-compressor.svg", "places/32/folder-music.svg", "apps/48/calibre-gui.svg"]

    func testBloomOpensAsGTKReadsItAndItsBrokenSVGIsAnErrorOrSkipped() throws {
        let installed = "/usr/share/icons/bloom"
        XCTAssertTrue(FileManager.default.fileExists(atPath: installed + "/index.theme"), "install: apt-get install deepin-icon-theme")
        let scratch = try FolderScratch("bloom-slice")
        for relative in Self.files {
            try scratch.write("bloom/" + relative, bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: installed + "/" + relative))))
        }
        var options = IconThemesDataset.Options(themes: ["bloom"], minimumThemesPerIcon: 1, searchDirectories: [scratch.path])
        XCTAssertThrowsError(try IconThemesDataset(options: options)) { error in
            guard case DatasetError.unreadableImage(let path, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, scratch.path + "/bloom/apps/48/calibre-gui.svg")
            XCTAssertTrue(reason.contains("inkscape"), reason)
        }
        options.skipsUnreadableSVGs = true
        let data = try IconThemesDataset(options: options)
        XCTAssertEqual((0..<data.count).map(data.identifier(of:)),
                       ["bloom/apps/32/deepin-compressor.svg", "bloom/places/32/folder-music.svg"])
        XCTAssertEqual(data.exclusions[.unreadableSVG], 1)
        XCTAssertEqual(data.categoryNames, ["apps", "places"])
    }
}
