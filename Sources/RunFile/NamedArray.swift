/// A named array a method learned (weights, an OASIS matrix, feature weights), saved in
/// run files under `/methods/<method>/weights/<name>`.
public struct NamedArray: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var values: [Float]

    public init(name: String, shape: [Int], values: [Float]) {
        self.name = name; self.shape = shape; self.values = values
    }
}
