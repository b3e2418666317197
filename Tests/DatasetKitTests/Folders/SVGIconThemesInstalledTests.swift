import DatasetKit
import Foundation
import Imaging
import XCTest

/// A slice of two real SVG themes (Debian 12 breeze-icon-theme and numix-icon-theme): their
/// `index.theme` files and two icons each, copied into a scratch directory, through the
/// icon-themes dataset.
final class SVGIconThemesInstalledTests: XCTestCase {
    /// Theme -> the icons copied, relative to the theme directory (regular files, not links).
    static let slice = [
        "breeze": ["mimetypes/32/text-html.svg", "places/32/user-trash.svg"],
        "Numix": ["32/mimetypes/text-html.svg", "32/places/user-trash.svg"],
    ]

    func testSliceOfBreezeAndNumix() throws {
        let installed = "/usr/share/icons"
        let missing = Self.slice.keys.sorted().filter { !FileManager.default.fileExists(atPath: "\(installed)/\($0)/index.theme") }
        XCTAssertEqual(missing, [], "install: apt-get install " + missing.compactMap { IconThemePackages.debianPackage[$0] }.joined(separator: " "))
        guard missing.isEmpty else { return }
        let scratch = try FolderScratch("svg-slice")
        for (theme, files) in Self.slice {
            for relative in ["index.theme"] + files {
                try scratch.write(theme + "/" + relative, bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(installed)/\(theme)/\(relative)"))))
            }
        }

        let data = try IconThemesDataset(options: .init(themes: ["breeze", "Numix"], searchDirectories: [scratch.path]))
        XCTAssertEqual((0..<data.count).map(data.identifier(of:)), [
            "Numix/32/mimetypes/text-html.svg", "breeze/mimetypes/32/text-html.svg",
            "Numix/32/places/user-trash.svg", "breeze/places/32/user-trash.svg",
        ])
        XCTAssertEqual(data.categoryNames, ["mimetypes", "places"])
        XCTAssertEqual([data.relevance(0, 1), data.relevance(0, 2), data.relevance(1, 3)], [1, 0, 0])
        var rendered: [PlanarImage] = []
        for i in 0..<data.count {
            let image = try data.image(at: i)
            XCTAssertEqual([image.channels, image.height, image.width], [3, 32, 32], data.identifier(of: i))
            XCTAssertGreaterThan(Set(image.pixels).count, 10, "\(data.identifier(of: i)) is drawn, not blank")
            let direct = try ImageCodec.renderSVG(contentsOf: URL(fileURLWithPath: scratch.path + "/" + data.identifier(of: i)), side: 32)
            XCTAssertEqual(image, PlanarImage(rgbFrom: direct), "\(data.identifier(of: i)): rendered at the dataset's size")
            rendered.append(image)
        }
        XCTAssertNotEqual(rendered[0], rendered[1], "two designers draw text-html differently")
    }
}
