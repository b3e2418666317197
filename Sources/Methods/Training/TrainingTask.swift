import DatasetKit
import NeuralNet
import RunFile
import TensorKit

/// What a network method hands `TrainingLoop`: the work of one SGD step on its network
/// (draw a batch, forward, loss, backward) and the random state that must survive a
/// checkpoint. The loop does everything else, in the same order for every method.
protocol TrainingTask {
    /// The parameters the loop's optimiser trains.
    var store: ParameterStore { get }
    /// Images through the network per step, for the progress rate.
    var imagesPerStep: Int { get }
    /// What progress log lines call the loss (`loss`, `cross-entropy`).
    static var lossName: String { get }
    /// The curves recorded per step besides `HistorySeries.loss`, in the order of
    /// `StepLoss.extras`.
    static var extraSeries: [HistorySeries] { get }

    /// Draws the batch of step `step` (0-based) from the task's streams and fills the
    /// network input with it.
    mutating func drawBatch(step: Int) throws
    /// Runs the network in training mode on the drawn batch: the loss, its gradient with
    /// respect to the network output, and the values of `extraSeries`.
    func forward() throws -> StepLoss
    /// Back-propagates `gradient` (from `forward`), accumulating `store.gradients`.
    func backward(_ gradient: Tensor)

    /// The streams a checkpoint saves, at their current positions.
    var streams: [StreamName: RandomStream] { get }
    /// The triplet sampler's state a checkpoint saves (nil: the task has no sampler).
    var samplerState: TripletSamplerState? { get }
    /// Continues from a checkpoint: sets the task's streams (and sampler) to the
    /// positions saved in `state`; throws `MethodError.badCheckpoint` when one is missing.
    mutating func restore(from state: TrainingState) throws
}

/// One step's forward result: the loss (a mean over the batch), its gradient with respect
/// to the network output (same shape as the output), and one value per extra curve of
/// the task (`TrainingTask.extraSeries`).
struct StepLoss {
    var value: Float
    var gradient: Tensor
    var extras: [Float] = []
}
