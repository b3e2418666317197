import DatasetKit
import XCTest

/// `ImageTreeDataset`: a folder of images at any depth (what `deeprank embed` reads).
final class ImageTreeDatasetTests: XCTestCase {
    private var scratch: FolderScratch!

    override func setUpWithError() throws { scratch = try FolderScratch("tree") }
    override func tearDown() { scratch = nil }

    func testAFlatFolderIsOneCategory() throws {
        try scratch.writePNG("b.png", width: 2, height: 1, pixel: [1, 2, 3])
        try scratch.copyFixture("baseline_rgb.jpg", to: "a.JPG")
        try scratch.write("notes.txt", text: "not an image")
        let dataset = try ImageTreeDataset(root: scratch.path)
        XCTAssertEqual((0..<dataset.count).map(dataset.identifier(of:)), ["a.JPG", "b.png"])
        XCTAssertEqual(dataset.categoryNames, ["."])
        XCTAssertEqual(dataset.kind, "image-tree")
        XCTAssertEqual(try dataset.image(at: 0).width, 13, "the JPEG fixture decodes")
        XCTAssertEqual(try dataset.image(at: 1), PlanarImage(channels: 3, height: 1, width: 2,
                                                            pixels: [1, 1, 2, 2, 3, 3].map { Float($0) / 255 }))
    }

    /// Depth first, entries sorted by name in byte order at every level; the first directory
    /// is the category; hidden entries are skipped.
    func testNestedFoldersInByteOrder() throws {
        for name in ["cats/persian/2.png", "cats/1.png", "cats/persian/10.png", "cat-art/x.jpeg", "Z.png", "top.png",
                     ".hidden/h.png", "cats/.h.png", "dogs/deep/er/est/d.png"] {
            try scratch.writePNG(name, width: 1, height: 1, pixel: [9])
        }
        try scratch.directory("empty/inside")
        let dataset = try ImageTreeDataset(root: scratch.path)
        XCTAssertEqual((0..<dataset.count).map(dataset.identifier(of:)),
                       ["Z.png", "cat-art/x.jpeg", "cats/1.png", "cats/persian/10.png", "cats/persian/2.png",
                        "dogs/deep/er/est/d.png", "top.png"])
        XCTAssertEqual(dataset.categoryNames, [".", "cat-art", "cats", "dogs"])
        XCTAssertEqual((0..<dataset.count).map(dataset.category(of:)), [0, 1, 2, 2, 2, 3, 0])
        XCTAssertEqual(dataset.relevance(2, 4), 1)
        XCTAssertEqual(dataset.relevance(0, 2), 0)
    }

    func testTheImageFolderLayoutGivesTheImageFolderOrder() throws {
        for name in ["b/1.png", "a/2.png", "a/1.png", "a-b/1.png"] {
            try scratch.writePNG(name, width: 1, height: 1, pixel: [9])
        }
        let tree = try ImageTreeDataset(root: scratch.path)
        let folder = try ImageFolderDataset(root: scratch.path)
        XCTAssertEqual((0..<tree.count).map(tree.identifier(of:)), (0..<folder.count).map(folder.identifier(of:)))
        XCTAssertEqual(tree.categoryNames, folder.categoryNames)
    }

    func testSymbolicLinksAreFollowedButNotRoundACycle() throws {
        try scratch.writePNG("real/a.png", width: 1, height: 1, pixel: [9])
        try scratch.symlink("real/loop", to: scratch.path + "/real")
        try scratch.symlink("linked", to: scratch.path + "/real")
        let dataset = try ImageTreeDataset(root: scratch.path)
        XCTAssertEqual((0..<dataset.count).map(dataset.identifier(of:)), ["linked/a.png", "real/a.png"])
    }

    func testEmptyMissingAndUnnamableFolders() throws {
        try scratch.write("sub/readme.txt", text: "no images")
        assertFolderError(DatasetError.emptyDataset(path: scratch.path, reason: "no .png, .jpg or .jpeg file at any depth")) {
            try ImageTreeDataset(root: scratch.path)
        }
        assertFolderError(DatasetError.missingDirectory(path: scratch.path + "/nope")) {
            try ImageTreeDataset(root: scratch.path + "/nope")
        }
        try scratch.writePNG("bad\nname.png", width: 1, height: 1, pixel: [9])
        assertFolderError(DatasetError.unreadableImage(path: scratch.path + "/bad\nname.png",
                                                       reason: "the name holds a line break, which image paths cannot")) {
            try ImageTreeDataset(root: scratch.path)
        }
    }

    func testGivenPathsAndAnUnreadableImage() throws {
        try scratch.write("broken.png", text: "not a png")
        let dataset = try ImageTreeDataset(root: scratch.path, relativePaths: ["broken.png"])
        XCTAssertEqual(dataset.count, 1)
        XCTAssertThrowsError(try dataset.image(at: 0)) {
            guard case DatasetError.unreadableImage(let path, _) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(path, scratch.path + "/broken.png")
        }
        assertFolderError(DatasetError.emptyDataset(path: scratch.path, reason: "no image given")) {
            try ImageTreeDataset(root: scratch.path, relativePaths: [])
        }
    }
}
