/// `keep_best: {every: N}` on a network method (beyond the paper, which keeps its last
/// weights): every `every` steps, and after the last one, the training loop scores the
/// current network on the run's validation triplets (similarity precision, the paper's
/// metric) and keeps a copy of the best parameters so far; when training ends those are the
/// method's weights. The choice is made on the validation split only, never on the test one.
///
/// Ties keep the earlier check. The checks are recorded as history curves
/// `validation_step` (steps finished at each check) and `validation_precision`; the kept
/// parameters travel with checkpoints (`best/<name>`), so an interrupted run keeps the same
/// choice.
public struct ValidationSelection: Codable, Equatable, Sendable {
    /// Steps between checks (>= 1).
    public var every: Int

    public init(every: Int) { self.every = every }

    /// Whether the loop checks after `finished` steps of `total`.
    func isDue(afterStep finished: Int, of total: Int) -> Bool {
        finished % every == 0 || finished == total
    }
}
