/// SGD settings shared by the network methods (PAPER.md: momentum SGD, weight decay
/// lambda = 0.001; learning rate, batch size and momentum are not given by the paper).
public struct TrainingSchedule: Codable, Equatable, Sendable {
    /// Optimisation steps.
    public var steps: Int
    /// Triplets per step (ranking) or images per step (classifier).
    public var batchSize: Int
    public var learningRate: Float
    public var momentum: Float
    public var nesterov: Bool
    public var weightDecay: Float
    /// Learning rate multiplied by this factor at 50% and 75% of the steps (1 = constant).
    public var decayFactor: Float

    public init(steps: Int, batchSize: Int, learningRate: Float = 0.01, momentum: Float = 0.9,
                nesterov: Bool = true, weightDecay: Float = 0.001, decayFactor: Float = 0.1) {
        self.steps = steps; self.batchSize = batchSize; self.learningRate = learningRate
        self.momentum = momentum; self.nesterov = nesterov; self.weightDecay = weightDecay
        self.decayFactor = decayFactor
    }

    /// The learning rate at `step` (step decay at 1/2 and 3/4 of the run).
    public func learningRate(at step: Int) -> Float {
        var rate = learningRate
        if step >= steps / 2 { rate *= decayFactor }
        if step >= 3 * steps / 4 { rate *= decayFactor }
        return rate
    }
}
