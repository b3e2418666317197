import DatasetKit
import Imaging
import XCTest

/// The image-folder dataset on a tree built in a scratch directory.
final class ImageFolderDatasetTests: XCTestCase {
    /// root/
    ///   Z/  10.png 2.png B.PNG (byte order: "10.png" < "2.png" < "B.PNG")
    ///   b/  photo.JPEG (the baseline RGB JPEG fixture) gray.jpg, notes.txt, .hidden.png
    ///   é/  x.png
    ///   .cache/ y.png           (hidden: ignored)
    ///   relevance.csv           (a file at the root: ignored)
    private func makeTree() throws -> FolderScratch {
        let scratch = try FolderScratch("tree")
        try scratch.writePNG("Z/10.png", width: 2, height: 3, pixel: [255, 0, 0])
        try scratch.writePNG("Z/2.png", width: 2, height: 2, pixel: [0, 0, 0, 0])
        try scratch.writePNG("Z/B.PNG", width: 1, height: 1, pixel: [51])
        try scratch.copyFixture("baseline_rgb.jpg", to: "b/photo.JPEG")
        try scratch.copyFixture("baseline_gray.jpg", to: "b/gray.jpg")
        try scratch.write("b/notes.txt", text: "not an image")
        try scratch.writePNG("b/.hidden.png", width: 1, height: 1, pixel: [0])
        try scratch.writePNG("é/x.png", width: 1, height: 1, pixel: [0])
        try scratch.writePNG(".cache/y.png", width: 1, height: 1, pixel: [0])
        try scratch.write("relevance.csv", text: "a,b,score\n")
        return scratch
    }

    func testCategoriesFilesAndIdentifiersInByteOrder() throws {
        let scratch = try makeTree()
        let data = try ImageFolderDataset(root: scratch.path)
        XCTAssertEqual(data.kind, "image-folder")
        XCTAssertEqual(data.categoryNames, ["Z", "b", "é"])
        XCTAssertEqual((0..<data.count).map(data.identifier(of:)),
                       ["Z/10.png", "Z/2.png", "Z/B.PNG", "b/gray.jpg", "b/photo.JPEG", "é/x.png"])
        XCTAssertEqual((0..<data.count).map(data.category(of:)), [0, 0, 0, 1, 1, 2])
        XCTAssertEqual(data.membersByCategory(), [[0, 1, 2], [3, 4], [5]])
        XCTAssertNil(data.providedEvaluationTriplets)
    }

    func testImagesAreDecodedAsRGBPlanes() throws {
        let scratch = try makeTree()
        let data = try ImageFolderDataset(root: scratch.path)
        let red = try data.image(at: 0)
        XCTAssertEqual([red.channels, red.height, red.width], [3, 3, 2])
        XCTAssertEqual(red.pixels, [Float](repeating: 1, count: 6) + [Float](repeating: 0, count: 12))
        XCTAssertEqual(try data.image(at: 1).pixels, [Float](repeating: 1, count: 12), "transparent black on white is white")
        XCTAssertEqual(try data.image(at: 2).pixels, [Float](repeating: 0.2, count: 3), "gray replicated to three planes")
        let photo = try data.image(at: 4)
        let expected = PlanarImage(rgbFrom: try ImageCodec.decode(contentsOf: FolderFixtures.images.appendingPathComponent("baseline_rgb.jpg")))
        XCTAssertEqual(photo, expected)
        XCTAssertEqual([photo.width, photo.height], [13, 7])
        XCTAssertEqual(try data.image(at: 3).channels, 3)
    }

    func testDefaultRelevanceIsOneInsideAndZeroAcross() throws {
        let scratch = try makeTree()
        let data = try ImageFolderDataset(root: scratch.path)
        XCTAssertEqual(data.relevance(0, 1), 1)
        XCTAssertEqual(data.relevance(3, 4), 1)
        XCTAssertEqual(data.relevance(0, 3), 0)
        XCTAssertEqual(data.relevance(5, 2), 0)
    }

    func testRelevanceCSVIsSymmetricAndKeepsDefaultsForUnlistedPairs() throws {
        let scratch = try makeTree()
        // BOM, CRLF, header, blank lines, quoted names, a zero across categories.
        try scratch.write("rel.csv", text: "\u{FEFF}A,B,Score\r\n\r\n\"Z/10.png\",Z/2.png,0.25\r\n"
                          + "Z/B.PNG, \"Z/10.png\" ,0\r\n\nb/photo.JPEG,é/x.png,0\r\n\"b/gray.jpg\",\"b/photo.JPEG\",\"3.5\"")
        let data = try ImageFolderDataset(root: scratch.path, relevanceCSV: scratch.path + "/rel.csv")
        XCTAssertEqual(data.relevance(0, 1), 0.25)
        XCTAssertEqual(data.relevance(1, 0), 0.25)
        XCTAssertEqual(data.relevance(2, 0), 0)
        XCTAssertEqual(data.relevance(0, 2), 0)
        XCTAssertEqual(data.relevance(1, 2), 1, "unlisted pair inside a category keeps the default")
        XCTAssertEqual(data.relevance(4, 3), 3.5)
        XCTAssertEqual(data.relevance(4, 5), 0)
        for a in 0..<data.count {
            for b in 0..<data.count { XCTAssertEqual(data.relevance(a, b), data.relevance(b, a)) }
        }
    }

    func testProvidedEvaluationTriplets() throws {
        let scratch = try makeTree()
        try scratch.write("triplets.csv", text: "query,positive,negative\nZ/10.png,Z/2.png,b/gray.jpg\n\n\"b/photo.JPEG\",b/gray.jpg,é/x.png\n")
        let data = try ImageFolderDataset(root: scratch.path, tripletsCSV: scratch.path + "/triplets.csv")
        XCTAssertEqual(data.providedEvaluationTriplets, [Triplet(query: 0, positive: 1, negative: 3),
                                                         Triplet(query: 4, positive: 3, negative: 5)])
        try scratch.write("headless.csv", text: "Z/B.PNG,Z/10.png,é/x.png")
        let headless = try ImageFolderDataset(root: scratch.path, tripletsCSV: scratch.path + "/headless.csv")
        XCTAssertEqual(headless.providedEvaluationTriplets, [Triplet(query: 2, positive: 0, negative: 5)])
    }
}
