import Foundation

/// How the learning rate of a `TrainingSchedule` changes over the run's `T` steps, as a
/// factor of the base rate at step `s` (0-based). The paper gives no schedule.
///
/// - `stepDecay` (the default): the factor is `decayFactor` from step `T / 2` on and
///   `decayFactor^2` from step `3T / 4` on (integer division).
/// - `cosine(warmupSteps: W, finalFraction: f)`: a linear warm-up, then a cosine decay
///   (Loshchilov and Hutter, "SGDR", 2017; Goyal et al. 2017 for the warm-up):
///
///       factor(s) = (s + 1) / W                                  for s < W
///       factor(s) = f + (1 - f) * (1 + cos(pi * (s - W) / (T - W))) / 2   for s >= W
///
///   PyTorch's `SequentialLR([LinearLR(start_factor=1/W, total_iters=W-1),
///   CosineAnnealingLR(T_max=T-W, eta_min=f*lr)], milestones=[W])` gives the same rates
///   (`Tests/Fixtures/schedule-reference.h5`, `Tests/Reference/make_schedule_fixtures.py`).
///   The factor is computed in Double and the rate rounded once to Float.
public enum LearningRateShape: Codable, Equatable, Sendable {
    // MARK: Defaults (the spec format's too: `SpecDefaults` refers to these)

    public static let `default` = LearningRateShape.stepDecay
    public static let defaultWarmupSteps = 0
    public static let defaultFinalFraction: Float = 0

    case stepDecay
    case cosine(warmupSteps: Int, finalFraction: Float)

    /// The rate at `step` of `steps` for base rate `base`; `decayFactor` is the step
    /// decay's factor (unused by the cosine).
    func learningRate(at step: Int, of steps: Int, base: Float, decayFactor: Float) -> Float {
        switch self {
        case .stepDecay:
            var rate = base
            if step >= steps / 2 { rate *= decayFactor }
            if step >= 3 * steps / 4 { rate *= decayFactor }
            return rate
        case .cosine(let warmup, let final):
            return Float(Double(base) * Self.cosineFactor(at: step, of: steps, warmupSteps: warmup,
                                                          finalFraction: Double(final)))
        }
    }

    /// The cosine schedule's factor (formula in the type's documentation).
    static func cosineFactor(at step: Int, of steps: Int, warmupSteps: Int, finalFraction: Double) -> Double {
        if step < warmupSteps { return Double(step + 1) / Double(warmupSteps) }
        let progress = Double(step - warmupSteps) / Double(max(steps - warmupSteps, 1))
        return finalFraction + (1 - finalFraction) * (1 + cos(Double.pi * progress)) / 2
    }
}

extension LearningRateShape {
    /// The spec's name of the shape (`schedule: NAME`).
    public var kindName: String {
        switch self {
        case .stepDecay: return "step-decay"
        case .cosine: return "cosine"
        }
    }
}
