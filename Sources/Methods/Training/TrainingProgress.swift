import Foundation

/// One training step's report, for progress display: which method, how far, the loss,
/// and the image rate so far.
public struct TrainingProgress: Sendable {
    public var method: String
    /// 1-based step just finished, of `steps`.
    public var step: Int
    public var steps: Int
    public var loss: Float
    /// Images per second since the method's training started.
    public var imagesPerSecond: Double
    /// Estimated seconds left at that rate.
    public var secondsLeft: Double
}

/// Measures the rate of a training loop and reports each step to `MethodContext.progress`,
/// and every tenth of the run as a plain log line.
struct ProgressMeter {
    let method: String
    let steps: Int
    let imagesPerStep: Int
    let context: MethodContext
    /// The first step this process runs (not 0 when resuming), for the rate.
    var firstStep = 0
    let start = Date()

    /// Reports finished step `step` (0-based); `label` is what the log line calls the loss.
    func report(step: Int, loss: Float, label: String) {
        let elapsed = max(Date().timeIntervalSince(start), 1e-9)
        let done = step + 1
        let rate = Double((done - firstStep) * imagesPerStep) / elapsed
        let left = elapsed / Double(done - firstStep) * Double(steps - done)
        context.progress(TrainingProgress(method: method, step: done, steps: steps, loss: loss,
                                          imagesPerSecond: rate, secondsLeft: left))
        if done % max(1, steps / 10) == 0 {
            context.log(String(format: "%@: step %d/%d %@ %.5g (%.0f images/s)", method, done, steps, label, loss, rate))
        }
    }
}
