import Experiments
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Reporting
import RunFile
import XCTest

/// Every SVG the report writes is well-formed XML (Foundation's `XMLParser`), has an `svg`
/// root with a size, and carries axis labels and tick labels.
final class FigureTests: XCTestCase {
    /// Element names and text of an XML document, or the parser's error.
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var rootAttributes: [String: String] = [:]
        var texts: [String] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if elements.isEmpty { rootAttributes = attributes }
            elements.append(name)
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }
    }

    func parse(_ svg: [UInt8], _ name: String) throws -> Collector {
        let parser = XMLParser(data: Data(svg))
        let collector = Collector()
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "\(name): \(parser.parserError.map { "\($0)" } ?? "parse failed")")
        return collector
    }

    func testEverySVGIsWellFormedWithAxesAndLabels() throws {
        let directory = try makeTemporaryDirectory(self)
        try writeMadeUpResults(into: directory)
        let report = try Report.make(Report.Options(inputs: [directory], datasets: RunDataset.open))
        let svgs = report.files.filter { $0.path.hasSuffix(".svg") }
        XCTAssertEqual(svgs.map(\.path).sorted(), [
            "figures/demo-loss.svg", "figures/demo-metrics.svg",
            "figures/sweepy-out_of_class_fraction=0-loss.svg", "figures/sweepy-out_of_class_fraction=0-metrics.svg",
            "figures/sweepy-out_of_class_fraction=0.2-loss.svg", "figures/sweepy-out_of_class_fraction=0.2-metrics.svg",
            "figures/sweepy-sweep.svg",
        ])
        for svg in svgs {
            let parsed = try parse(svg.bytes, svg.path)
            XCTAssertEqual(parsed.elements.first, "svg", svg.path)
            XCTAssertNotNil(parsed.rootAttributes["viewBox"], svg.path)
            XCTAssertGreaterThan(parsed.elements.filter { $0 == "text" }.count, 5, svg.path)
            XCTAssertGreaterThan(parsed.elements.filter { $0 == "line" }.count, 5, svg.path)
        }
        let sweep = try parse(try XCTUnwrap(svgs.first { $0.path == "figures/sweepy-sweep.svg" }).bytes, "sweep")
        XCTAssertTrue(sweep.texts.contains("out_of_class_fraction"), "x axis label")
        XCTAssertTrue(sweep.texts.contains("Similarity precision (%)"))
        XCTAssertTrue(sweep.texts.contains("Score@30"))
        XCTAssertTrue(sweep.texts.contains("deep"), "legend")
        XCTAssertEqual(sweep.elements.filter { $0 == "circle" }.count, 4, "2 values x 2 panels")
        let loss = try parse(try XCTUnwrap(svgs.first { $0.path == "figures/demo-loss.svg" }).bytes, "loss")
        XCTAssertTrue(loss.texts.contains("step"))
        XCTAssertTrue(loss.texts.contains("deep") && loss.texts.contains("hog") && loss.texts.contains("oasis"))
        XCTAssertTrue(loss.elements.contains("polyline"))
        let bars = try parse(try XCTUnwrap(svgs.first { $0.path == "figures/demo-metrics.svg" }).bytes, "bars")
        XCTAssertEqual(bars.elements.filter { $0 == "rect" }.count, 1 + 2 * 2 + 2 * 3, "background, 2 frames per panel, 3 bars per panel")
    }

    /// Figure 6 sweeps over sampler mappings: ticks show the values that differ.
    func testSweepTicksOfMappingValues() {
        XCTAssertEqual(SweepFigure.tick("kind=uniform,out_of_class_fraction=0.0"), "uniform 0.0")
        XCTAssertEqual(SweepFigure.tick("out_of_class_fraction=0.4"), "0.4")
        XCTAssertEqual(SweepFigure.tick("0.4"), "0.4")
        XCTAssertEqual(SweepFigure.tick("value-3"), "value-3")
    }

    func testNamesWithMarkupAreEscaped() throws {
        let directory = try makeTemporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: directory + "/x", withIntermediateDirectories: true)
        let record = madeUpRecord(experiment: "odd", seed: 1, rows: [madeUpRow("a<b&\"c\"", correct: 20, score: 3)])
        try RunFileWriter.write(record, to: directory + "/x/seed-1.h5")
        let report = try Report.make(Report.Options(inputs: [directory], datasets: RunDataset.open))
        for svg in report.files where svg.path.hasSuffix(".svg") { _ = try parse(svg.bytes, svg.path) }
        let html = String(decoding: try XCTUnwrap(report.files.first { $0.path == "report.html" }).bytes, as: UTF8.self)
        XCTAssertTrue(html.contains("a&lt;b&amp;&quot;c&quot;"))
    }
}

/// `figures/<group>-validation.svg`: one line per network with validation checks, at the
/// mean over seeds; methods without checks are left out, and no checks means no figure.
final class ValidationCurveFigureTests: XCTestCase {
    func group(_ precisions: [[Float]]) -> ExperimentGroup {
        let runs = precisions.enumerated().map { i, precision in
            let methods = [MethodRecord(name: "deep", type: "deep-ranking", weights: [],
                                        history: ["loss": [1, 0.5], "validation_step": [100, 200, 300],
                                                  "validation_precision": precision]),
                           MethodRecord(name: "hog", type: "handcrafted", weights: [], history: [:])]
            let record = madeUpRecord(experiment: "demo", seed: UInt64(i + 1), rows: [madeUpRow("deep", correct: 40)],
                                      methods: methods)
            return ReportRun(path: "demo/seed-\(i + 1).h5", record: record, storedDigests: RunDigests(methods: record.methods, rows: record.rows))
        }
        return ExperimentGroup(experiment: "demo", sweepPoint: nil, runs: runs)
    }

    func testTheCurveIsTheMeanOverSeedsAtEachCheck() throws {
        let svg = try XCTUnwrap(ValidationCurveFigure.svg(group([[0.6, 0.7, 0.8], [0.8, 0.9, 0.6]])))
        XCTAssertTrue(svg.contains(">deep<"), "legend")
        XCTAssertFalse(svg.contains(">hog<"), "no checks, no line")
        XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 3, "one point per check")
        // Means 70, 80, 70 %: the middle point is the highest one (smallest y in SVG coordinates).
        let ys = svg.components(separatedBy: "<circle").dropFirst().map { chunk -> Double in
            let value = chunk.components(separatedBy: "cy=\"")[1].prefix { $0 != "\"" }
            return Double(value)!
        }
        XCTAssertLessThan(ys[1], ys[0])
        XCTAssertEqual(ys[0], ys[2], accuracy: 1e-9)
    }

    func testNoChecksNoFigure() {
        let runs = group([[0.5, 0.5, 0.5]]).runs.map { run -> ReportRun in
            var run = run
            run.record.methods = run.record.methods.map { var m = $0; m.history = [:]; return m }
            return run
        }
        XCTAssertNil(ValidationCurveFigure.svg(ExperimentGroup(experiment: "demo", sweepPoint: nil, runs: runs)))
    }
}
