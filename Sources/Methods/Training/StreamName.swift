import NeuralNet
import RunFile
import TensorKit

/// The name of a random stream a network method's training loop draws from and saves
/// with every checkpoint (`TrainingState.streams`). Names are part of the stored format:
/// they seed the streams (`RandomStreams.stream`) and key the saved positions.
struct StreamName: Hashable, Sendable {
    let key: String

    /// The dropout mask of the fc layer of the ConvNet part, as `MultiScaleNetwork` and
    /// `ClassifierNetwork` name it (the paper drops out units of its fully connected
    /// layers with keep probability 0.6).
    static let dropout = StreamName(key: MultiScaleConfig.dropoutStream)
    /// The classifier's draws of training images, uniform over the training split.
    static let batches = StreamName(key: "batches")
    /// Hard mining's draws of concept groups and their images (`ConceptGroups.draw`).
    static let mining = StreamName(key: "mining/groups")
}

extension RandomStreams {
    /// The stream `name` of this family.
    func stream(_ name: StreamName) -> RandomStream { stream(name.key) }
}

extension TrainingState {
    /// The saved position of stream `name`; throws `MethodError.badCheckpoint` when the
    /// state has none.
    func stream(_ name: StreamName) throws -> RandomStream { try stream(name.key) }
}
