import DatasetKit
import Foundation
import Imaging
import XCTest

/// Icon themes drawn as SVG in the icon-themes dataset, on themes built in a scratch
/// directory (`SVGIconThemesInstalledTests` takes a slice of real ones).
final class SVGIconThemesTests: XCTestCase {
    private var icons: FolderScratch!

    /// A square SVG of one colour, with `marker` in a comment so equal colours need not mean equal bytes.
    private static func square(_ colour: String, marker: String = "") -> String {
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><!--\(marker)--><rect width='16' height='16' fill='\(colour)'/></svg>"
    }

    /// vector (SVG only):
    ///   `32/apps` (Fixed 32): calc (red)
    ///   `scalable/apps` (Scalable 8...512): calc (blue: a duplicate, `32/apps` is listed first),
    ///     editor (green), text-editor (editor's bytes: duplicate), gtk-calc -> editor.svg (alias),
    ///     banner (2:1: wrong size), edit-copy-symbolic (symbolic), .hidden.svg
    ///   `30/places` (Threshold 30 ± 2): folder (yellow); `26/places` (Threshold 26 ± 2): trash;
    ///   `48/apps` (Fixed 48): large; `32@2/apps` (Scale 2): calc
    /// raster (PNG at 32, plus an SVG that must not be read):
    ///   `32x32/apps`: calc, editor; `32x32/places`: folder; `scalable/apps`: viewer.svg
    override func setUpWithError() throws {
        icons = try FolderScratch("svg-icons")
        try icons.write("vector/index.theme", text: """
            [Icon Theme]
            Name=Vector
            Directories=32/apps,scalable/apps,30/places,26/places,48/apps,32@2/apps

            [32/apps]
            Size=32
            Context=Applications
            Type=Fixed

            [scalable/apps]
            Size=16
            MinSize=8
            MaxSize=512
            Context=Applications
            Type=scalable

            [30/places]
            Size=30
            Context=Places

            [26/places]
            Size=26
            Context=Places
            Type=Threshold

            [48/apps]
            Size=48
            Context=Applications
            Type=Fixed

            [32@2/apps]
            Size=32
            Scale=2
            Context=Applications
            Type=Fixed
            """)
        try icons.write("vector/32/apps/calc.svg", text: Self.square("#ff0000"))
        try icons.write("vector/scalable/apps/calc.svg", text: Self.square("#0000ff"))
        try icons.write("vector/scalable/apps/editor.svg", text: Self.square("#00ff00"))
        try icons.write("vector/scalable/apps/text-editor.svg", text: Self.square("#00ff00"))
        try icons.symlink("vector/scalable/apps/gtk-calc.svg", to: "editor.svg")
        try icons.write("vector/scalable/apps/banner.svg", text: "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 16'/>")
        try icons.write("vector/scalable/apps/edit-copy-symbolic.svg", text: Self.square("#bebebe"))
        try icons.write("vector/scalable/apps/.hidden.svg", text: "not read")
        try icons.write("vector/30/places/folder.svg", text: Self.square("#ffff00"))
        try icons.write("vector/26/places/trash.svg", text: Self.square("#000000"))
        try icons.write("vector/48/apps/large.svg", text: Self.square("#000000"))
        try icons.write("vector/32@2/apps/calc.svg", text: Self.square("#000000", marker: "HiDPI"))

        try icons.write("raster/index.theme", text: "[Icon Theme]\nDirectories=32x32/apps,32x32/places,scalable/apps\n"
                        + "[32x32/apps]\nSize=32\nContext=Applications\n[32x32/places]\nSize=32\nContext=Places\n"
                        + "[scalable/apps]\nSize=32\nMinSize=8\nMaxSize=512\nType=Scalable\nContext=Applications\n")
        try icons.writePNG("raster/32x32/apps/calc.png", width: 32, height: 32, pixel: [10, 20, 30])
        try icons.writePNG("raster/32x32/apps/editor.png", width: 32, height: 32, pixel: [40, 50, 60])
        try icons.writePNG("raster/32x32/places/folder.png", width: 32, height: 32, pixel: [70, 80, 90])
        try icons.write("raster/scalable/apps/viewer.svg", text: Self.square("#123456"))
    }

    override func tearDown() { icons = nil }

    private func options(_ themes: [String] = ["vector", "raster"], size: Int = 32, minimum: Int = 2) -> IconThemesDataset.Options {
        IconThemesDataset.Options(themes: themes, size: size, minimumThemesPerIcon: minimum, searchDirectories: [icons.path])
    }

    private func identifiers(_ data: IconThemesDataset) -> [String] { (0..<data.count).map(data.identifier(of:)) }

    func testSVGOnlyThemeJoinsAPNGTheme() throws {
        let data = try IconThemesDataset(options: options())
        XCTAssertEqual(identifiers(data), [
            "raster/32x32/apps/calc.png", "vector/32/apps/calc.svg",
            "raster/32x32/apps/editor.png", "vector/scalable/apps/editor.svg",
            "raster/32x32/places/folder.png", "vector/30/places/folder.svg",
        ])
        XCTAssertEqual(data.categoryNames, ["apps", "places"])
        XCTAssertEqual(data.relevance(0, 1), 1, "the same icon drawn as PNG and as SVG")
        XCTAssertEqual(data.exclusions, [.duplicate: 2, .alias: 1, .wrongSize: 1, .symbolic: 1])

        var every = options(minimum: 1)
        every.themes = ["raster"]
        XCTAssertFalse(identifiers(try IconThemesDataset(options: every)).contains { $0.hasSuffix(".svg") },
                       "a theme with PNGs at the size never reads its SVGs")
    }

    func testSVGsAreRenderedAtTheDatasetSize() throws {
        let data = try IconThemesDataset(options: options())
        let calc = try data.image(at: 1)
        XCTAssertEqual([calc.channels, calc.height, calc.width], [3, 32, 32])
        XCTAssertEqual([calc[0, 0, 0], calc[1, 16, 9], calc[2, 31, 31]], [1, 0, 0], "red, edge to edge")
        XCTAssertEqual(try data.image(at: 0)[2, 3, 3], Float(30) / 255, accuracy: 1e-6, "the PNG as before")

        // At 24 px, `32/apps` (Fixed 32) and `30/places` (30 ± 2) no longer serve; `26/places` (26 ± 2) does.
        let small = try IconThemesDataset(options: options(["vector"], size: 24, minimum: 1))
        XCTAssertEqual(identifiers(small), ["vector/scalable/apps/calc.svg", "vector/scalable/apps/editor.svg",
                                            "vector/26/places/trash.svg"])
        let blue = try small.image(at: 0)
        XCTAssertEqual([blue.channels, blue.height, blue.width], [3, 24, 24])
        XCTAssertEqual([blue[0, 23, 0], blue[1, 23, 0], blue[2, 23, 0]], [0, 0, 1])
    }

    func testUnreadableSVGsNameTheFile() throws {
        let path = icons.path + "/vector/scalable/apps/broken.svg"
        let vector = options(["vector"], minimum: 1)
        try icons.write("vector/scalable/apps/broken.svg", text: "<svg/>")
        assertFolderError(DatasetError.unreadableImage(path: path, reason:
            "unsupported image: the SVG has neither a viewBox nor a width and height in absolute units")) {
            try IconThemesDataset(options: vector)
        }
        try icons.write("vector/scalable/apps/broken.svg", text: "<svg xmlns='http://www.w3.org/2000/svg'><rect")
        XCTAssertThrowsError(try IconThemesDataset(options: vector)) { error in
            guard case .unreadableImage(path, let reason)? = error as? DatasetError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.hasPrefix("unreadable SVG: "), reason)
        }
        try FileManager.default.removeItem(atPath: path)

        let data = try IconThemesDataset(options: vector)
        let listed = icons.path + "/" + data.identifier(of: 0)
        try FileManager.default.removeItem(atPath: listed)
        assertFolderError(DatasetError.unreadableImage(path: listed, reason: "cannot read the file: no such file")) {
            try data.image(at: 0)
        }
    }

    func testReservedThemesAreRefusedAndNeverListed() throws {
        let allowed = "a theme other than Moka, Adwaita, Faenza and their variants (reserved: no data set may use them)"
        for reserved in ["Adwaita", "Moka", "Faenza", "faenza-dark", "AdwaitaLegacy"] {
            assertFolderError(DatasetError.invalidParameter(name: "themes", value: reserved, allowed: allowed)) {
                try IconThemesDataset(options: options(["vector", reserved]))
            }
        }
        XCTAssertEqual("\(DatasetError.invalidParameter(name: "themes", value: "Adwaita", allowed: allowed))",
                       "dataset parameter themes = Adwaita is invalid: \(allowed)")

        for reserved in ["Adwaita", "Moka", "Faenza-Dark", ".hidden"] {
            try icons.write(reserved + "/index.theme", text: "[Icon Theme]\nDirectories=apps\n[apps]\nSize=32\n")
        }
        try icons.directory("no-index/apps")
        try icons.symlink("linked", to: "vector")
        XCTAssertEqual(IconThemesDataset.Options.installedThemes(in: [icons.path + "/missing", icons.path, icons.path]),
                       ["linked", "raster", "vector"])
        XCTAssertFalse(IconThemesDataset.Options.installedThemes().contains { IconThemesDataset.Options.isReserved($0) },
                       "the installed themes of this machine, Adwaita among them here, list no reserved theme")
    }
}
