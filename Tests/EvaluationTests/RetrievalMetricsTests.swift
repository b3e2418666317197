import Evaluation
import XCTest

final class RetrievalMetricsTests: XCTestCase {
    /// Labels [0, 0, 0, 1, 1, 2]; image 5 is alone in its class and is skipped.
    /// - query 0 (R = 2), ranked 3 1 4 2 5: P@1 0; first hit at 2; top R = {3, 1}: RP 1/2;
    ///   MAP@R = (0 + 1/2) / 2 = 1/4.
    /// - query 1 (R = 2), ranked 0 2 3 4 5: P@1 1; hits at 1, 2: RP 1, MAP@R 1.
    /// - query 2 (R = 2), ranked 3 4 5 0 1: no hit in the top 3: RP 0, MAP@R 0.
    /// - query 3 (R = 1), ranked 0 4 ...: P@1 0; first hit at 2; RP 0, MAP@R 0.
    /// - query 4 (R = 1), ranked 3 ...: P@1 1; RP 1, MAP@R 1.
    func testHandWorkedLists() {
        let labels = [0, 0, 0, 1, 1, 2]
        let lists = [[3, 1, 4, 2, 5], [0, 2, 3, 4, 5], [3, 4, 5, 0, 1], [0, 4, 1, 2, 5], [3, 0, 1, 2, 5], [0, 1, 2, 3, 4]]
        let metrics = RetrievalMetrics(labels: labels, neighbours: lists, recallKs: [1, 2, 4])
        XCTAssertEqual(metrics.countedQueries, [0, 1, 2, 3, 4])
        XCTAssertEqual(metrics.precisionAt1, 2.0 / 5, accuracy: 1e-15)
        XCTAssertEqual(metrics.recallAtK[1]!, 2.0 / 5, accuracy: 1e-15)
        XCTAssertEqual(metrics.recallAtK[2]!, 4.0 / 5, accuracy: 1e-15)
        XCTAssertEqual(metrics.recallAtK[4]!, 5.0 / 5, accuracy: 1e-15)
        XCTAssertEqual(metrics.rPrecisionPerQuery, [0.5, 1, 0, 0, 1])
        XCTAssertEqual(metrics.mapAtRPerQuery, [0.25, 1, 0, 0, 1])
        XCTAssertEqual(metrics.rPrecision, 2.5 / 5, accuracy: 1e-15)
        XCTAssertEqual(metrics.mapAtR, 2.25 / 5, accuracy: 1e-15)
    }

    /// MAP@R rewards hits early in the top R, R-Precision does not: R = 3, hits at ranks
    /// 1 and 3 (RP 2/3, MAP@R (1 + 2/3) / 3) versus ranks 2 and 3 (RP 2/3, MAP@R (1/2 + 2/3) / 3).
    func testMAPAtRWeighsRanksWhereRPrecisionDoesNot() {
        let labels = [0, 0, 0, 0, 1, 1]
        let early = RetrievalMetrics(labels: labels, neighbours: [[1, 4, 2, 3, 5], [0, 2, 3, 4, 5], [0, 1, 3, 4, 5],
                                                                  [0, 1, 2, 4, 5], [5, 0, 1, 2, 3], [4, 0, 1, 2, 3]],
                                     recallKs: [1])
        let late = RetrievalMetrics(labels: labels, neighbours: [[4, 1, 2, 3, 5], [0, 2, 3, 4, 5], [0, 1, 3, 4, 5],
                                                                 [0, 1, 2, 4, 5], [5, 0, 1, 2, 3], [4, 0, 1, 2, 3]],
                                    recallKs: [1])
        XCTAssertEqual(early.rPrecisionPerQuery[0], 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(late.rPrecisionPerQuery[0], 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(early.mapAtRPerQuery[0], (1 + 2.0 / 3) / 3, accuracy: 1e-15)
        XCTAssertEqual(late.mapAtRPerQuery[0], (0.5 + 2.0 / 3) / 3, accuracy: 1e-15)
    }

    func testNoQueryWithAnotherOfItsClassGivesNaN() {
        let metrics = RetrievalMetrics(labels: [0, 1, 2], neighbours: [[1, 2], [0, 2], [0, 1]], recallKs: [1])
        XCTAssertTrue(metrics.countedQueries.isEmpty)
        XCTAssertTrue(metrics.precisionAt1.isNaN && metrics.mapAtR.isNaN && metrics.rPrecision.isNaN)
    }
}
