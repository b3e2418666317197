/// What the network that pre-trains a ranking network's ConvNet part learns
/// (`pretrain.target`).
public enum PretrainingTarget: String, Sendable, CaseIterable {
    /// The paper's: a softmax classifier over the categories (or the concept groups, or
    /// another data set's categories), as the paper pre-trains on ImageNet's classes.
    case categories
    /// Beyond the paper: a linear head regresses each image's HOG descriptor, centred and
    /// scaled (`HOGRegressionTraining`); no labels needed.
    case hog
}
