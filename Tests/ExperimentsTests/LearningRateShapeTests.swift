import Foundation
import Methods
import Storage
import XCTest

/// The learning-rate schedules: the cosine with warm-up against PyTorch
/// (`Tests/Fixtures/schedule-reference.h5`, written by `Tests/Reference/make_schedule_fixtures.py`:
/// a real `torch.optim.SGD` under `SequentialLR(LinearLR, CosineAnnealingLR)`), the step
/// decay as it always was, and what the training loop records of each.
///
/// Tolerance: relative 1e-6 (the rate is rounded once to Float, 6e-8 relative). A warm-up
/// of `s / W` instead of `(s + 1) / W`, or a cosine over `T - W - 1` steps instead of
/// `T - W`, misses PyTorch's rates by 7e-4 relative or more.
final class LearningRateShapeTests: XCTestCase {
    static let fixturePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/schedule-reference.h5").path

    func testCosineWithWarmUpMatchesPyTorch() throws {
        let file = try HDF5File(reading: Self.fixturePath)
        let cases = try file.root.group("cases").childNames()
        XCTAssertGreaterThanOrEqual(cases.count, 6)
        var worst = 0.0
        for name in cases {
            let group = try file.root.group("cases/\(name)")
            let (rates, _) = try group.read(Double.self, from: "rates")
            let schedule = TrainingSchedule(
                steps: Int(try group.attribute("steps", as: Int64.self)), batchSize: 1,
                learningRate: Float(try group.attribute("learning_rate", as: Double.self)),
                shape: .cosine(warmupSteps: Int(try group.attribute("warmup_steps", as: Int64.self)),
                               finalFraction: Float(try group.attribute("final_fraction", as: Double.self))))
            XCTAssertEqual(rates.count, schedule.steps, name)
            for (step, expected) in rates.enumerated() {
                let relative = abs(Double(schedule.learningRate(at: step)) - expected) / expected
                XCTAssertLessThanOrEqual(relative, 1e-6, "\(name) step \(step)")
                worst = max(worst, relative)
            }
        }
        print("cosine schedule parity with PyTorch over \(cases.count) cases: max relative diff = \(worst)")
    }

    /// The default shape computes each rate with the same Float operations as before the
    /// shapes existed: the base rate times the factor at 1/2 and again at 3/4 of the run.
    func testStepDecayIsUnchanged() {
        for steps in [0, 1, 3, 7, 600] {
            let schedule = TrainingSchedule(steps: steps, batchSize: 1, learningRate: 0.05, decayFactor: 0.1)
            XCTAssertEqual(schedule.shape, .stepDecay)
            for step in 0..<max(steps, 1) {
                var rate: Float = 0.05
                if step >= steps / 2 { rate *= 0.1 }
                if step >= 3 * steps / 4 { rate *= 0.1 }
                XCTAssertEqual(schedule.learningRate(at: step).bitPattern, rate.bitPattern, "step \(step) of \(steps)")
            }
        }
    }

    func testOnlyTheCosineRecordsItsRates() throws {
        func history(_ shape: LearningRateShape) throws -> [String: [Float]] {
            let method = ClassifierMethod(name: "classifier", network: TrainingLoopTests.network,
                                          schedule: TrainingSchedule(steps: 4, batchSize: 4, shape: shape))
            try TrainingLoopTests.train(method)
            return method.history
        }
        XCTAssertEqual(Array(try history(.stepDecay).keys), ["loss"])
        let cosine = try history(.cosine(warmupSteps: 2, finalFraction: 0))
        XCTAssertEqual(Set(cosine.keys), ["loss", "learning_rate"])
        XCTAssertEqual(cosine["learning_rate"], [0.025, 0.05, 0.05, 0.025])
    }
}
