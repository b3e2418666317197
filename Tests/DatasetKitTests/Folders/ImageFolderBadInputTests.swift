import DatasetKit
import XCTest

/// Every bad image-folder input is a typed error naming the file (and the CSV line).
final class ImageFolderBadInputTests: XCTestCase {
    private var scratch: FolderScratch!

    /// cats/a.png, cats/b.png, cats/c.png, dogs/d.png
    override func setUpWithError() throws {
        scratch = try FolderScratch("bad")
        for name in ["cats/a.png", "cats/b.png", "cats/c.png", "dogs/d.png"] {
            try scratch.writePNG(name, width: 1, height: 1, pixel: [9, 9, 9])
        }
    }

    override func tearDown() { scratch = nil }

    /// Writes `text` to a CSV and opens the dataset with it as the relevance file.
    private func relevance(_ text: String) throws -> ImageFolderDataset {
        try scratch.write("r.csv", text: text)
        return try ImageFolderDataset(root: scratch.path, relevanceCSV: scratch.path + "/r.csv")
    }

    private func triplets(_ text: String) throws -> ImageFolderDataset {
        try scratch.write("t.csv", text: text)
        return try ImageFolderDataset(root: scratch.path, tripletsCSV: scratch.path + "/t.csv")
    }

    private var relevancePath: String { scratch.path + "/r.csv" }
    private var tripletsPath: String { scratch.path + "/t.csv" }

    func testBadRelevanceRecords() {
        assertFolderError(DatasetError.unknownImage(path: relevancePath, line: 3, name: "cats/z.png")) {
            try relevance("a,b,score\ncats/a.png,cats/b.png,1\ncats/a.png,cats/z.png,1\n")
        }
        assertFolderError(DatasetError.unknownImage(path: relevancePath, line: 1, name: "./cats/a.png")) {
            try relevance("./cats/a.png,cats/b.png,1")
        }
        assertFolderError(DatasetError.badCSV(path: relevancePath, line: 2, reason: "score '-0.5' is not a finite number >= 0")) {
            try relevance("cats/a.png,cats/b.png,1\r\ncats/a.png,cats/c.png,-0.5\r\n")
        }
        assertFolderError(DatasetError.badCSV(path: relevancePath, line: 1, reason: "score 'nan' is not a finite number >= 0")) {
            try relevance("cats/a.png,cats/b.png,nan")
        }
        assertFolderError(DatasetError.badCSV(path: relevancePath, line: 2, reason: "score 'inf' is not a finite number >= 0")) {
            try relevance("\ncats/a.png,cats/b.png,inf")
        }
        assertFolderError(DatasetError.badCSV(path: relevancePath, line: 1, reason: "score 'high' is not a finite number >= 0")) {
            try relevance("cats/a.png,cats/b.png,high")
        }
        assertFolderError(DatasetError.badCSV(path: relevancePath, line: 2, reason: "2 fields; expected 3 (a,b,score)")) {
            try relevance("a,b,score\ncats/a.png,cats/b.png\n")
        }
        assertFolderError(DatasetError.badCSV(path: relevancePath, line: 1, reason: "4 fields; expected 3 (a,b,score)")) {
            try relevance("cats/a.png,cats/b.png,1,2\n")
        }
        assertFolderError(DatasetError.badCSV(path: relevancePath, line: 2,
                                              reason: "score 0.3 for images of different categories; relevance across categories is 0")) {
            try relevance("cats/a.png,dogs/d.png,0\ncats/b.png,dogs/d.png,0.3\n")
        }
        assertFolderError(DatasetError.badCSV(path: relevancePath, line: 3,
                                              reason: "the pair (cats/b.png, cats/a.png) is already given on line 1")) {
            try relevance("cats/a.png,cats/b.png,1\ncats/a.png,cats/c.png,1\ncats/b.png,cats/a.png,1\n")
        }
        assertFolderError(DatasetError.badCSV(path: relevancePath, line: 1, reason: "'cats/a.png' is paired with itself")) {
            try relevance("cats/a.png,cats/a.png,1")
        }
        assertFolderError(DatasetError.badCSV(path: relevancePath, line: 2, reason: "a quoted field is not closed")) {
            try relevance("cats/a.png,cats/b.png,1\n\"cats/a.png,cats/c.png,1\n")
        }
    }

    func testBadTripletRecords() {
        assertFolderError(DatasetError.unknownImage(path: tripletsPath, line: 2, name: "dogs/e.png")) {
            try triplets("query,positive,negative\ncats/a.png,cats/b.png,dogs/e.png\n")
        }
        assertFolderError(DatasetError.badCSV(path: tripletsPath, line: 1, reason: "query, positive and negative must be three different images")) {
            try triplets("cats/a.png,cats/a.png,dogs/d.png")
        }
        assertFolderError(DatasetError.badCSV(path: tripletsPath, line: 3, reason: "2 fields; expected 3 (query,positive,negative)")) {
            try triplets("cats/a.png,cats/b.png,dogs/d.png\r\n\r\ncats/a.png,cats/b.png\r\n")
        }
        assertFolderError(DatasetError.badCSV(path: tripletsPath, line: 0, reason: "no triplets (expected records query,positive,negative)")) {
            try triplets("query,positive,negative\n\n")
        }
        assertFolderError(DatasetError.badCSV(path: tripletsPath, line: 1, reason: "text after a closing quote")) {
            try triplets("\"cats/a.png\"x,cats/b.png,dogs/d.png")
        }
    }

    func testMissingCSVFiles() {
        let missing = scratch.path + "/none.csv"
        assertFolderError(DatasetError.badCSV(path: missing, line: 0, reason: "cannot read the file: no such file")) {
            try ImageFolderDataset(root: scratch.path, relevanceCSV: missing)
        }
        assertFolderError(DatasetError.badCSV(path: scratch.path + "/cats", line: 0, reason: "cannot read the file: it is a directory")) {
            try ImageFolderDataset(root: scratch.path, tripletsCSV: scratch.path + "/cats")
        }
    }

    func testBadFolderLayouts() throws {
        assertFolderError(DatasetError.missingDirectory(path: scratch.path + "/nowhere")) {
            try ImageFolderDataset(root: scratch.path + "/nowhere")
        }
        assertFolderError(DatasetError.missingDirectory(path: scratch.path + "/cats/a.png")) {
            try ImageFolderDataset(root: scratch.path + "/cats/a.png")
        }
        let empty = try FolderScratch("empty")
        try empty.write("README", text: "no categories")
        assertFolderError(DatasetError.emptyDataset(path: empty.path, reason: "no category subdirectories (expected root/<category>/<image>.png|jpg)")) {
            try ImageFolderDataset(root: empty.path)
        }
        try scratch.write("birds/readme.txt", text: "no image here")
        try scratch.writePNG("birds/.hidden.png", width: 1, height: 1, pixel: [0])
        assertFolderError(DatasetError.emptyDataset(path: scratch.path + "/birds", reason: "the category has no .png, .jpg or .jpeg file")) {
            try ImageFolderDataset(root: scratch.path)
        }
        try FileManager.default.removeItem(atPath: scratch.path + "/birds")
        try scratch.writePNG("dogs/puppies/p.png", width: 1, height: 1, pixel: [0])
        assertFolderError(DatasetError.emptyDataset(
            path: scratch.path + "/dogs/puppies",
            reason: "a directory inside a category; nested directories are not read (torchvision "
                + "would read them), so move its images up into the category or out of root")) {
            try ImageFolderDataset(root: scratch.path)
        }
    }

    func testUndecodableImageNamesTheFile() throws {
        try scratch.write("cats/broken.png", text: "not a png")
        try scratch.write("dogs/empty.jpg", bytes: [])
        let data = try ImageFolderDataset(root: scratch.path)
        let broken = scratch.path + "/cats/broken.png"
        XCTAssertEqual(data.identifier(of: 2), "cats/broken.png")
        XCTAssertThrowsError(try data.image(at: 2)) { error in
            guard case .unreadableImage(let path, let reason) = error as? DatasetError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, broken)
            XCTAssertTrue(reason.hasPrefix("not a PNG or JPEG file"), reason)
            XCTAssertTrue("\(error)".hasPrefix(broken + ": "))
        }
        assertFolderError(DatasetError.unreadableImage(path: scratch.path + "/dogs/empty.jpg", reason: "the file is empty")) {
            try data.image(at: 5)
        }
    }
}
