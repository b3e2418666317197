import RunFile

/// Curves that only training recipes beyond the paper record (a run without them keeps
/// the history keys it always had). Keys of the stored format, like `HistorySeries.loss`.
extension HistorySeries {
    /// The learning rate of every step, for schedules other than the step decay
    /// (`TrainingSchedule.recordsLearningRate`).
    public static let learningRate = HistorySeries(key: "learning_rate")
    /// The number of triplets mined from the step's batch (`HardMining`).
    public static let minedTriplets = HistorySeries(key: "mined_triplets")
}
