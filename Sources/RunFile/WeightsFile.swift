import Crypto
import Foundation
import Storage

/// A weights file: network parameters to start training from (a spec's
/// `network.init_from`), as `Tests/Reference/export_torch_weights.py` writes them from a
/// PyTorch state dict.
///
/// Layout: an HDF5 file whose root attribute `format` is `deeprank-weights` (`version` 1)
/// and whose root holds one float32 dataset per parameter, named by its PyTorch state-dict
/// key in our naming (`deep.conv1.weight`, `deep.fc.bias`, `shallow_a.conv.weight`,
/// `embed.weight`, ...) with PyTorch's shape (convolution `[Cout, Cin, kh, kw]`, linear
/// `[out, in]`). Other root attributes (`source`, `mapping`) say where it came from.
public struct WeightsFile: Sendable {
    public static let format = "deeprank-weights"
    public static let version: Int64 = 1
    /// Root attribute names.
    public static let formatAttribute = "format", versionAttribute = "version"

    public let source: WeightsSource
    /// The parameters, in name order.
    public let arrays: [NamedArray]

    /// Reads every parameter of the file at `source.path` and checks that its bytes still
    /// have `source.sha256`.
    public init(reading source: WeightsSource) throws {
        let path = source.path
        let found = try WeightsSource(path: path)
        guard found.sha256 == source.sha256 else {
            throw WeightsFileError.changed(file: path, expected: source.sha256, found: found.sha256)
        }
        self.source = source
        do {
            let file = try HDF5File(reading: path)
            let root = file.root
            let format = try root.hasAttribute(Self.formatAttribute)
                ? try root.stringAttribute(Self.formatAttribute) : nil
            guard format == Self.format else {
                throw WeightsFileError.notAWeightsFile(file: path, reason: "root attribute format is "
                    + (format.map { "'\($0)'" } ?? "missing") + ", expected '\(Self.format)'")
            }
            let version = try root.attribute(Self.versionAttribute, as: Int64.self)
            guard version == Self.version else {
                throw WeightsFileError.notAWeightsFile(file: path, reason: "version \(version) (this program reads \(Self.version))")
            }
            arrays = try root.childNames().sorted().map { name in
                let (values, shape) = try root.read(Float.self, from: name)
                return NamedArray(name: name, shape: shape, values: values)
            }
        } catch let error as WeightsFileError {
            throw error
        } catch {
            throw WeightsFileError.notAWeightsFile(file: path, reason: "\(error)")
        }
    }
}

/// Where a network's initial weights come from: the file as the spec names it (resolved
/// against the spec's folder) and the SHA-256 of its bytes, which the run file records
/// (`/methods/<name>` attributes `init_from`, `init_from_sha256`) so that `replay` proves
/// it starts from the same weights.
public struct WeightsSource: Equatable, Sendable {
    /// The digest of a source whose file was not read (a stored spec parsed only to restore
    /// a model, which needs no starting weights).
    public static let notRead = "not read"

    public var path: String
    /// Lowercase hex.
    public var sha256: String

    public init(path: String, sha256: String) { self.path = path; self.sha256 = sha256 }

    /// The file at `path` with the digest of its bytes now.
    public init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw WeightsFileError.cannotRead(file: path, reason: FileManager.default.fileExists(atPath: path)
                ? "permission denied" : "no such file")
        }
        defer { try? handle.close() }
        var hash = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 22), !chunk.isEmpty { hash.update(data: chunk) }
        } catch {
            throw WeightsFileError.cannotRead(file: path, reason: "\(error)")
        }
        self.init(path: path, sha256: hash.finalize().map { String(format: "%02x", $0) }.joined())
    }
}

/// Why initial weights could not be used. Every case names the file.
public enum WeightsFileError: Error, Equatable, CustomStringConvertible {
    case cannotRead(file: String, reason: String)
    case notAWeightsFile(file: String, reason: String)
    /// The file's bytes differ from those the spec was checked with, or a run was made from.
    case changed(file: String, expected: String, found: String)
    /// Its parameters do not fit the network: `reason` lists what was expected.
    case mismatch(file: String, reason: String)

    public var description: String {
        switch self {
        case .cannotRead(let file, let reason): return "\(file): cannot read the weights file: \(reason)"
        case .notAWeightsFile(let file, let reason): return "\(file): not a weights file: \(reason)"
        case .changed(let file, let expected, let found):
            return "\(file): the weights file changed: its SHA-256 is \(found), expected \(expected)"
        case .mismatch(let file, let reason): return "\(file): the weights do not fit the network: \(reason)"
        }
    }
}
