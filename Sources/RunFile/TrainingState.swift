import DatasetKit

/// Everything a training loop needs to continue exactly where it stopped (resume: nothing
/// is lost): after `step` finished steps, the network's parameters, the optimiser's
/// momentum, the positions of the loop's random streams (dropout, batch draws), the
/// sampler's state and the curves so far. Augmentation needs nothing: slot k of step s
/// always draws from its own stream `augment/<s>/<k>`.
///
/// A loop is named by the method that runs it (`deep-ranking`, or `deep-ranking.pretrain`
/// for the classifier pre-training inside it). Continuing from a state gives the same bits
/// as never having stopped.
public struct TrainingState: Equatable, Sendable {
    /// The training loop (the method's name).
    public var loop: String
    /// Steps finished.
    public var step: Int
    /// `param/<name>` for every parameter and `optimizer/velocity` (the SGD momentum buffer,
    /// flat, in store order).
    public var arrays: [NamedArray]
    /// Stream name -> xoshiro256** state words (`RandomStream.stateWords`).
    public var streams: [String: [UInt64]]
    /// The triplet sampler's state (ranking loops).
    public var sampler: TripletSamplerState?
    /// The curves so far (the method's `history`).
    public var history: [String: [Float]]
    /// Training seconds spent before this state was saved (not hashed; summed over resumes).
    public var seconds: Double

    public init(loop: String, step: Int, arrays: [NamedArray], streams: [String: [UInt64]],
                sampler: TripletSamplerState?, history: [String: [Float]], seconds: Double) {
        self.loop = loop; self.step = step; self.arrays = arrays; self.streams = streams
        self.sampler = sampler; self.history = history; self.seconds = seconds
    }
}
