import DatasetKit
import Foundation
import XCTest

/// The icon-themes dataset on fake themes built in a scratch directory, so the tests do not
/// depend on installed packages; `IconThemesInstalledTests` covers the real themes.
final class IconThemesDatasetTests: XCTestCase {
    private var icons: FolderScratch!

    /// Two themes laid out differently, as Tango and oxygen are:
    ///
    /// alpha (`32x32/apps`, `32x32/places`, plus directories that must not be read)
    ///   apps: calc (red), editor (blue), gtk-calc -> calc.png (alias), big (16x16: wrong
    ///         size), text-editor (same bytes as editor: duplicate, editor sorts first), .hidden.png, readme.txt
    ///   places: folder (half-transparent green), home (only in alpha)
    ///   16x16/apps/calc.png, 32x32@2/apps/calc.png (Scale=2), scalable/apps/calc.svg
    /// beta (`base/32x32/apps`, `base/32x32/places`, Threshold directories)
    ///   apps: calc (yellow), editor (cyan); places: folder (gray), trash (only in beta)
    override func setUpWithError() throws {
        icons = try FolderScratch("icons")
        try icons.write("alpha/index.theme", text: """
            # A fake theme
            [Icon Theme]
            Name=Alpha
            Name[de]=Alpha (de)
            Directories=32x32/apps,32x32/places,16x16/apps,32x32@2/apps,32x32/absent,scalable/apps

            [32x32/apps]
            Size=32
            Context=Applications
            Type=Fixed

            [32x32/places]
            Size=32
            Context=Places

            [16x16/apps]
            Size=16
            Context=Applications

            [32x32@2/apps]
            Size=32
            Scale=2
            Context=Applications

            [32x32/absent]
            Size=32
            Context=Status

            [scalable/apps]
            Size=32
            Context=Applications
            Type=Scalable
            """)
        try icons.writePNG("alpha/32x32/apps/calc.png", width: 32, height: 32, pixel: [255, 0, 0])
        try icons.writePNG("alpha/32x32/apps/editor.png", width: 32, height: 32, pixel: [0, 0, 255])
        try icons.symlink("alpha/32x32/apps/gtk-calc.png", to: "calc.png")
        try icons.writePNG("alpha/32x32/apps/big.png", width: 16, height: 16, pixel: [0, 0, 0])
        try icons.writePNG("alpha/32x32/apps/text-editor.png", width: 32, height: 32, pixel: [0, 0, 255])
        try icons.writePNG("alpha/32x32/apps/.hidden.png", width: 32, height: 32, pixel: [1, 2, 3])
        try icons.write("alpha/32x32/apps/readme.txt", text: "not an icon")
        try icons.writePNG("alpha/32x32/places/folder.png", width: 32, height: 32, pixel: [0, 255, 0, 128])
        try icons.writePNG("alpha/32x32/places/home.png", width: 32, height: 32, pixel: [9, 9, 9])
        try icons.writePNG("alpha/16x16/apps/calc.png", width: 16, height: 16, pixel: [255, 0, 0])
        try icons.writePNG("alpha/32x32@2/apps/calc.png", width: 64, height: 64, pixel: [255, 0, 0])
        try icons.write("alpha/scalable/apps/calc.svg", text: "<svg/>")

        try icons.write("beta/index.theme", text: "[Icon Theme]\r\nName=Beta\r\nDirectories=base/32x32/apps,base/32x32/places\r\n\r\n"
                        + "[base/32x32/apps]\r\nSize=32\r\nContext=Applications\r\nType=Threshold\r\n\r\n"
                        + "[base/32x32/places]\r\nSize=32\r\nContext=Places\r\nType=Threshold\r\n")
        try icons.writePNG("beta/base/32x32/apps/calc.png", width: 32, height: 32, pixel: [255, 255, 0])
        try icons.writePNG("beta/base/32x32/apps/editor.png", width: 32, height: 32, pixel: [0, 255, 255])
        try icons.writePNG("beta/base/32x32/places/folder.png", width: 32, height: 32, pixel: [128, 128, 128])
        try icons.writePNG("beta/base/32x32/places/trash.png", width: 32, height: 32, pixel: [7, 7, 7])
    }

    override func tearDown() { icons = nil }

    private func options(_ themes: [String] = ["alpha", "beta"]) -> IconThemesDataset.Options {
        IconThemesDataset.Options(themes: themes, searchDirectories: [icons.path + "/nothing-here", icons.path])
    }

    private func identifiers(_ data: IconThemesDataset) -> [String] { (0..<data.count).map(data.identifier(of:)) }

    func testImagesCategoriesOrderAndExclusions() throws {
        let data = try IconThemesDataset(options: options())
        XCTAssertEqual(data.kind, "icon-themes")
        XCTAssertEqual(data.categoryNames, ["apps", "places"])
        XCTAssertEqual(identifiers(data), [
            "alpha/32x32/apps/calc.png", "beta/base/32x32/apps/calc.png",
            "alpha/32x32/apps/editor.png", "beta/base/32x32/apps/editor.png",
            "alpha/32x32/places/folder.png", "beta/base/32x32/places/folder.png",
        ])
        XCTAssertEqual((0..<data.count).map(data.category(of:)), [0, 0, 0, 0, 1, 1])
        XCTAssertEqual((0..<data.count).map(data.iconName(of:)), ["calc", "calc", "editor", "editor", "folder", "folder"])
        XCTAssertEqual((0..<data.count).map(data.theme(of:)), ["alpha", "beta", "alpha", "beta", "alpha", "beta"])
        XCTAssertEqual(data.exclusions, [.alias: 1, .wrongSize: 1, .duplicate: 1, .tooFewThemes: 2])
        XCTAssertNil(data.providedEvaluationTriplets)

        let reversed = try IconThemesDataset(options: options(["beta", "alpha"]))
        XCTAssertEqual(identifiers(reversed), identifiers(data), "the order of the theme list does not matter")
    }

    func testIconsAsCategoriesForPretraining() throws {
        var byIcon = options()
        byIcon.categories = .icon
        let data = try IconThemesDataset(options: byIcon)
        let contexts = try IconThemesDataset(options: options())
        XCTAssertEqual(identifiers(data), identifiers(contexts), "the same images, in the same order")
        XCTAssertEqual(data.categoryNames, ["apps/calc", "apps/editor", "places/folder"])
        XCTAssertEqual((0..<data.count).map(data.category(of:)), [0, 0, 1, 1, 2, 2])
        XCTAssertEqual(data.relevance(0, 1), 1, "same icon, other theme")
        XCTAssertEqual(data.relevance(0, 2), 0, "another icon is another category: 0, as across categories")
        XCTAssertEqual(data.relevance(0, 4), 0)
        let file = URL(fileURLWithPath: icons.path + "/alpha/32x32/apps/calc.png").resolvingSymlinksInPath().path
        XCTAssertEqual(data.origin(of: 0), file, "the origin is the file, its links resolved")
        XCTAssertNotEqual(data.origin(of: 1), file)
    }

    func testRelevanceFromIconNameAndContext() throws {
        let data = try IconThemesDataset(options: options())
        XCTAssertEqual(data.relevance(0, 1), 1, "same icon, other theme")
        XCTAssertEqual(data.relevance(4, 5), 1)
        XCTAssertEqual(data.relevance(0, 2), 0.1, "same context, other icon")
        XCTAssertEqual(data.relevance(1, 2), 0.1)
        XCTAssertEqual(data.relevance(0, 4), 0, "other context")
        for a in 0..<data.count {
            for b in 0..<data.count { XCTAssertEqual(data.relevance(a, b), data.relevance(b, a)) }
        }
        var custom = options()
        custom.sameIconRelevance = 3
        custom.sameContextRelevance = 0
        let graded = try IconThemesDataset(options: custom)
        XCTAssertEqual([graded.relevance(0, 1), graded.relevance(0, 2), graded.relevance(0, 5)], [3, 0, 0])
    }

    func testImagesAreDecodedOnWhite() throws {
        let data = try IconThemesDataset(options: options())
        let calc = try data.image(at: 0)
        XCTAssertEqual([calc.channels, calc.height, calc.width], [3, 32, 32])
        XCTAssertEqual([calc[0, 5, 7], calc[1, 5, 7], calc[2, 5, 7]], [1, 0, 0])
        let folder = try data.image(at: 4)
        let onWhite = Float(255 * 127) / (255 * 255)  // (0 * 128 + 255 * 127) / 255²
        XCTAssertEqual(folder[0, 0, 0], onWhite, accuracy: 1e-6)
        XCTAssertEqual(folder[1, 31, 31], 1, accuracy: 1e-6)
        XCTAssertEqual(folder[2, 9, 3], onWhite, accuracy: 1e-6)
    }

    func testMinimumThemesPerIconAndCategoryCap() throws {
        var all = options()
        all.minimumThemesPerIcon = 1
        let every = try IconThemesDataset(options: all)
        XCTAssertEqual(identifiers(every).filter { $0.contains("places") }, [
            "alpha/32x32/places/folder.png", "beta/base/32x32/places/folder.png",
            "alpha/32x32/places/home.png", "beta/base/32x32/places/trash.png",
        ])
        XCTAssertNil(every.exclusions[.tooFewThemes])

        var capped = options()
        capped.maximumImagesPerCategory = 3
        let data = try IconThemesDataset(options: capped)
        XCTAssertEqual(data.membersByCategory().map(\.count), [2, 2], "whole icons: one of calc and editor fits under 3")
        XCTAssertEqual(data.exclusions[.overCategoryCap], 2)
        XCTAssertEqual(identifiers(try IconThemesDataset(options: capped)), identifiers(data), "the cap is deterministic")
        let kept = data.iconName(of: 0)
        XCTAssertEqual(data.iconName(of: 1), kept)
    }

    func testMissingThemeNamesTheDebianPackage() {
        let searched = [icons.path + "/nothing-here/Tango", icons.path + "/Tango"]
        assertFolderError(DatasetError.missingIconTheme(theme: "Tango", debianPackage: "tango-icon-theme", searched: searched)) {
            try IconThemesDataset(options: options(["alpha", "Tango"]))
        }
        XCTAssertEqual("\(DatasetError.missingIconTheme(theme: "Tango", debianPackage: "tango-icon-theme", searched: searched))",
                       "icon theme 'Tango' not found in \(searched.joined(separator: ", ")) (install it with: apt-get install tango-icon-theme)")
        assertFolderError(DatasetError.missingIconTheme(theme: "mystery", debianPackage: nil,
                                                        searched: [icons.path + "/nothing-here/mystery", icons.path + "/mystery"])) {
            try IconThemesDataset(options: options(["mystery", "alpha"]))
        }
    }

    func testThemesWithoutUsablePNGs() throws {
        var large = options()
        large.size = 48
        assertFolderError(DatasetError.emptyDataset(path: icons.path + "/alpha",
                                                    reason: "index.theme lists no directory of Size=48 (sizes: 16, 32)")) {
            try IconThemesDataset(options: large)
        }
        try icons.write("vector/index.theme", text: "[Icon Theme]\nDirectories=32/apps\n[32/apps]\nSize=32\nType=Scalable\n")
        try icons.write("vector/32/apps/calc.svg", text: "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 2 1'/>")
        assertFolderError(DatasetError.emptyDataset(path: icons.path + "/vector", reason: "no PNG icon of 32x32 pixels in the "
            + "Size=32 directories and no square SVG icon in the directories for size 32")) {
            try IconThemesDataset(options: options(["alpha", "vector"]))
        }
        try icons.write("alpha/32x32/places/fake.png", text: "not a PNG at all, just text")
        assertFolderError(DatasetError.unreadableImage(path: icons.path + "/alpha/32x32/places/fake.png",
                                                       reason: "not a PNG file (no PNG signature and IHDR header)")) {
            try IconThemesDataset(options: options())
        }
    }

    /// deepin's themes, as Debian ships them: Vintage lists `apps/256` with no section, bloom
    /// writes `MinSize=12px`. GTK skips the first and reads the second as 0, and so do we.
    func testSlipsThatGTKReadsAreReadAsGTKReadsThem() throws {
        try icons.write("deepin/index.theme", text: """
            [Icon Theme]
            Directories=apps/32,apps/256,emblems/24

            [apps/32]
            Size=32
            Context=Applications
            Type=Fixed

            [emblems/24]
            Size=24
            Context=Emblems
            Type=Scalable
            MinSize=12px
            MaxSize=128
            """)
        func svg(_ fill: String) -> String {
            "<svg xmlns='http://www.w3.org/2000/svg' width='24' height='24'><rect width='24' height='24' fill='\(fill)'/></svg>"
        }
        try icons.write("deepin/apps/32/calc.svg", text: svg("red"))
        try icons.write("deepin/apps/256/editor.svg", text: svg("green"))
        try icons.write("deepin/emblems/24/emblem-ok.svg", text: svg("blue"))
        var deepin = options(["deepin"])
        deepin.minimumThemesPerIcon = 1
        XCTAssertEqual(identifiers(try IconThemesDataset(options: deepin)), ["deepin/apps/32/calc.svg", "deepin/emblems/24/emblem-ok.svg"],
                       "apps/256 is not read; the scalable emblems (MinSize 0, MaxSize 128) serve size 32")
        deepin.size = 8
        XCTAssertEqual(identifiers(try IconThemesDataset(options: deepin)), ["deepin/emblems/24/emblem-ok.svg"],
                       "MinSize=12px reads as 0, so the emblems serve size 8 too")

        // bloom also ships a few SVGs that librsvg cannot read: an error, unless asked to skip them.
        deepin.size = 32
        let broken = icons.path + "/deepin/apps/32/vim.svg"
        try icons.write("deepin/apps/32/vim.svg", text: "<svg xmlns='http://www.w3.org/2000/svg'><inkscape:path/></svg>")
        XCTAssertThrowsError(try IconThemesDataset(options: deepin)) { error in
            guard case DatasetError.unreadableImage(let path, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, broken)
        }
        deepin.skipsUnreadableSVGs = true
        let skipping = try IconThemesDataset(options: deepin)
        XCTAssertEqual(identifiers(skipping), ["deepin/apps/32/calc.svg", "deepin/emblems/24/emblem-ok.svg"])
        XCTAssertEqual(skipping.exclusions[.unreadableSVG], 1)
    }

    func testNoSharedIcons() throws {
        try icons.write("lonely/index.theme", text: "[Icon Theme]\nDirectories=apps\n[apps]\nSize=32\nContext=Applications\n")
        try icons.writePNG("lonely/apps/unique.png", width: 32, height: 32, pixel: [1, 1, 1])
        var lonely = options(["lonely"])
        lonely.minimumThemesPerIcon = 1
        XCTAssertEqual(identifiers(try IconThemesDataset(options: lonely)), ["lonely/apps/unique.png"])
        var demanding = options(["alpha", "beta", "lonely"])
        demanding.minimumThemesPerIcon = 3
        assertFolderError(DatasetError.emptyDataset(path: "\(icons.path)/nothing-here, \(icons.path)",
                                                    reason: "no icon of size 32 is drawn by at least 3 of the themes alpha, beta, lonely")) {
            try IconThemesDataset(options: demanding)
        }
    }

    func testMalformedIndexThemeNamesTheLine() throws {
        let path = icons.path + "/broken/index.theme"
        var broken = options(["broken"])
        broken.minimumThemesPerIcon = 1
        try icons.write("broken/index.theme", text: "[Icon Theme]\nDirectories=apps\nthis line is junk\n[apps]\nSize=32\n")
        assertFolderError(IconThemeIndexError(path: path, line: 3, reason: "neither [Section] nor Key=Value")) {
            try IconThemesDataset(options: broken)
        }
        try icons.write("broken/index.theme", text: "[Icon Theme]\nDirectories=apps\n[apps]\nSize=32\nMinSize=-1\n")
        assertFolderError(IconThemeIndexError(path: path, line: 5, reason: "MinSize=-1 is not an integer >= 0")) {
            try IconThemesDataset(options: broken)
        }
        try icons.write("broken/index.theme", text: "[Icon Theme]\nDirectories=apps\n[apps]\nSize=large\n")
        assertFolderError(IconThemeIndexError(path: path, line: 4, reason: "Size=large is not a positive integer")) {
            try IconThemesDataset(options: broken)
        }
        try icons.write("broken/index.theme", text: "[Icon Theme]\nDirectories=apps\n[apps]\nContext=Applications\n")
        assertFolderError(IconThemeIndexError(path: path, line: 3, reason: "[apps] has no Size= key")) {
            try IconThemesDataset(options: broken)
        }
        try icons.write("broken/index.theme", text: "[Icon Theme]\nName=Broken\n")
        assertFolderError(IconThemeIndexError(path: path, line: 1, reason: "no Directories= key in [Icon Theme]")) {
            try IconThemesDataset(options: broken)
        }
    }

    func testInvalidOptions() {
        func check(_ name: String, _ value: String, _ allowed: String, _ edit: (inout IconThemesDataset.Options) -> Void) {
            var options = self.options()
            edit(&options)
            assertFolderError(DatasetError.invalidParameter(name: name, value: value, allowed: allowed)) {
                try IconThemesDataset(options: options)
            }
        }
        check("themes", "[]", "name at least one icon theme") { $0.themes = [] }
        check("themes", "[\"alpha\", \"alpha\"]", "each theme at most once") { $0.themes = ["alpha", "alpha"] }
        check("themes", "../alpha", "a theme directory name (not empty, no '/', not hidden)") { $0.themes = ["../alpha"] }
        check("size", "0", "a positive number of pixels") { $0.size = 0 }
        check("minimumThemesPerIcon", "3", "1 ... the number of themes (2)") { $0.minimumThemesPerIcon = 3 }
        check("maximumImagesPerCategory", "0", "at least 1, or unset for no cap") { $0.maximumImagesPerCategory = 0 }
        check("sameContextRelevance", "-0.5", "a finite number >= 0") { $0.sameContextRelevance = -0.5 }
        check("sameIconRelevance", "0.1", "a finite number above sameContextRelevance (0.1)") { $0.sameIconRelevance = 0.1 }
    }
}
