/// The name of one training curve in a method's `history` (`[String: [Float]]`, one value
/// per step), which run files store under `/methods/<method>/history/<key>`. The keys are
/// part of the stored format: a renamed key would change every run file.
public struct HistorySeries: Hashable, Sendable {
    /// The key the curve is stored under.
    public let key: String

    public init(key: String) { self.key = key }

    /// The loss per step: the triplet hinge loss (the paper's ranking loss, README, "The paper in
    /// brief") for deep ranking, the softmax cross-entropy for the classifier, the mean
    /// hinge loss per pass for OASIS.
    public static let loss = HistorySeries(key: "loss")
    /// The fraction of the step's triplets with a positive hinge, i.e. the triplets that
    /// contribute a gradient (deep ranking).
    public static let activeFraction = HistorySeries(key: "active_fraction")
    /// The loss of the classifier pre-training of the ConvNet part that precedes deep
    /// ranking (the paper pre-trains on ImageNet classification).
    public static let pretrainLoss = HistorySeries(key: "pretrain_loss")
    /// Steps finished at each validation check of `keep_best` (one value per check, not per
    /// step); reports draw it with `validationPrecision`.
    public static let validationStep = HistorySeries(key: "validation_step")
    /// The validation similarity precision at each check of `keep_best`.
    public static let validationPrecision = HistorySeries(key: "validation_precision")
}

extension Dictionary where Key == String, Value == [Float] {
    /// The curve stored under `series.key`.
    public subscript(series: HistorySeries) -> [Float]? {
        get { self[series.key] }
        set { self[series.key] = newValue }
    }
}
