import RunFile

/// Curves that only training recipes beyond the paper record (a run without them keeps
/// the history keys it always had). Keys of the stored format, like `HistorySeries.loss`.
extension HistorySeries {
    /// The learning rate of every step, for schedules other than the step decay
    /// (`TrainingSchedule.recordsLearningRate`).
    public static let learningRate = HistorySeries(key: "learning_rate")
    /// The number of triplets mined from the step's batch (`HardMining`).
    public static let minedTriplets = HistorySeries(key: "mined_triplets")
    /// The L2 norm of all gradients of every step before clipping, for schedules that clip
    /// (`TrainingSchedule.clipGradientNorm`).
    public static let gradientNorm = HistorySeries(key: "gradient_norm")
    /// `gradientNorm` of a ranking method's pre-training, when it clips.
    public static let pretrainGradientNorm = HistorySeries(key: "pretrain_gradient_norm")
}
