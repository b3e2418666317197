/// Why a method could not train or rank.
public enum MethodError: Error, Equatable, CustomStringConvertible {
    case notTrained(method: String)
    case diverged(method: String, step: Int, loss: Float)
    case invalidSetting(method: String, key: String, reason: String)
    /// A saved training state or stored weights that do not fit the method (resume, embed).
    case badCheckpoint(method: String, reason: String)

    public var description: String {
        switch self {
        case .notTrained(let method):
            return "\(method): asked to rank before training"
        case .diverged(let method, let step, let loss):
            return "\(method): loss became \(loss) at step \(step); training stopped"
        case .invalidSetting(let method, let key, let reason):
            return "\(method): \(key): \(reason)"
        case .badCheckpoint(let method, let reason):
            return "\(method): the saved state does not fit: \(reason)"
        }
    }
}
