import Foundation

/// Which value of a sweep a variant spec stands for (recorded in run files, so replay
/// re-runs the same variant).
public struct SweepPoint: Equatable, Sendable {
    public var key: String
    public var label: String

    public init(key: String, label: String) { self.key = key; self.label = label }

    /// The variant's folder under the experiment's results: `<last key segment>=<label>`.
    public var folderName: String {
        let last = key.split(separator: ".").last.map(String.init) ?? key
        return "\(last)=\(label)".replacingOccurrences(of: "/", with: "_")
    }
}
