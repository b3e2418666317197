import ArgumentParser
import DatasetKit
import Experiments
import Methods

/// Training budgets set from the command line over a parsed spec: each given option
/// replaces that setting in every method it applies to; an option left out keeps the
/// spec's values. `deeprank bench methods` uses them for quick checks at smaller budgets.
struct BudgetOverrides: ParsableArguments {
    @Option(help: "Training steps of every deep-ranking method (default: the spec's).")
    var rankingSteps: Int?

    @Option(help: "Training steps of every classifier (default: the spec's).")
    var classifierSteps: Int?

    @Option(help: "Updates of every OASIS method (default: the spec's).")
    var oasisSteps: Int?

    @Option(help: "Learning rate of every network's training and pre-training (default: the spec's).")
    var learningRate: Float?

    @Option(help: "T_r of every sampler: a training triplet needs r(q, p) - r(q, n) >= T_r (default: the spec's).")
    var relevanceMargin: Float?

    @Option(help: "Classifier pre-training steps of every deep-ranking method's ConvNet part (0: none; where the spec has none, what `pretrain: {steps: N}` gives; default: the spec's).")
    var pretrainSteps: Int?

    func validate() throws {
        for (flag, steps, least) in [("--ranking-steps", rankingSteps, 0), ("--classifier-steps", classifierSteps, 0),
                                     ("--oasis-steps", oasisSteps, 1), ("--pretrain-steps", pretrainSteps, 0)] {
            if let steps, steps < least { throw ValidationError("\(flag) must be at least \(least), got \(steps)") }
        }
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) {
            throw ValidationError("--learning-rate must be a number > 0, got \(learningRate)")
        }
        if let relevanceMargin, !(relevanceMargin >= 0 && relevanceMargin.isFinite) {
            throw ValidationError("--relevance-margin must be a number >= 0, got \(relevanceMargin)")
        }
    }

    /// `spec` with every given setting replaced.
    func applied(to spec: ExperimentSpec) -> ExperimentSpec {
        var spec = spec
        spec.methods = spec.methods.map { method in
            var method = method
            switch method.kind {
            case .deepRanking(var ranking):
                ranking.schedule.steps = rankingSteps ?? ranking.schedule.steps
                ranking.schedule.learningRate = learningRate ?? ranking.schedule.learningRate
                ranking.sampler = sampler(ranking.sampler)
                ranking.pretraining = pretraining(ranking.pretraining)
                method.kind = .deepRanking(ranking)
            case .classifier(let network, var schedule):
                schedule.steps = classifierSteps ?? schedule.steps
                schedule.learningRate = learningRate ?? schedule.learningRate
                method.kind = .classifier(network: network, schedule: schedule)
            case .handcrafted:
                break
            case .golden(let features, let learning, let triplets, let choice):
                method.kind = .golden(features: features, learning: learning, triplets: triplets, sampler: sampler(choice))
            case .oasis(let base, var parameters, let choice, let featureMap):
                parameters.steps = oasisSteps ?? parameters.steps
                method.kind = .oasis(base: base, parameters: parameters, sampler: sampler(choice), featureMap: featureMap)
            }
            return method
        }
        return spec
    }

    /// A spec's pre-training with `--pretrain-steps` and `--learning-rate` applied; where the
    /// spec has none, `pretrain: {steps: N}` would give the same schedule.
    private func pretraining(_ schedule: TrainingSchedule?) -> TrainingSchedule? {
        var schedule = schedule
        if let pretrainSteps {
            guard pretrainSteps > 0 else { return nil }
            schedule = schedule ?? TrainingSchedule(steps: pretrainSteps, batchSize: SpecDefaults.pretrainBatchSize)
            schedule?.steps = pretrainSteps
        }
        if let learningRate { schedule?.learningRate = learningRate }
        return schedule
    }

    /// `choice` with `--relevance-margin` as its T_r.
    private func sampler(_ choice: SamplerChoice) -> SamplerChoice {
        guard let relevanceMargin else { return choice }
        switch choice {
        case .paper(var parameters):
            parameters.relevanceMargin = relevanceMargin
            return .paper(parameters)
        case .uniform(var parameters):
            parameters.relevanceMargin = relevanceMargin
            return .uniform(parameters)
        case .online(var parameters, let bufferSize, let acceptance):
            parameters.relevanceMargin = relevanceMargin
            return .online(parameters, bufferSize: bufferSize, acceptance: acceptance)
        }
    }
}
