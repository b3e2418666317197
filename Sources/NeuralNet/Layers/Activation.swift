/// An elementwise activation that a layer applies to its own output (fused, so the
/// output is touched while it is still in cache instead of in a separate pass).
public enum Activation: String, Codable, Sendable {
    case identity
    /// `max(x, 0)`; its gradient is 0 where the output is 0 (as the standalone `ReLU`).
    case relu
}
