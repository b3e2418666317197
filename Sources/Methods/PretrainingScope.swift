/// Which parts of a ranking network pre-training trains before the ranking does
/// (`pretrain.scope`).
public enum PretrainingScope: String, Sendable, CaseIterable {
    /// The paper's: the ConvNet part alone, as a classifier or a HOG regressor
    /// (`ClassifierNetwork`); the shallow parts and the embedding start from the
    /// initialiser's draws.
    case convnet
    /// Beyond the paper, with `PretrainingTarget.hog` only: the whole ranking network (the
    /// ConvNet part, the shallow parts and the embedding) with a linear head on its
    /// embedding (before the final L2 normalisation) regresses HOG (`EmbeddingRegressor`),
    /// so the ranking starts from an embedding that already ranks by outline, not from a
    /// random projection of a pre-trained ConvNet part and untrained shallow parts.
    case network
}
