import CChains
import Foundation

/// The instruction sets the chain kernels (`Sources/CChains`) are compiled for. Every path
/// runs the same fused multiply-add chains in the same order, so every path gives the same
/// bits; they differ only in speed.
public enum InstructionSet: String, CaseIterable, Sendable {
    /// Plain C for any 64-bit CPU with FMA (on x86-64 compiled for FMA3 on SSE vectors; on
    /// ARM64 for the baseline).
    case portable
    /// The same source compiled for AVX2 + FMA.
    case avx2
    /// The same source compiled for AVX-512F + FMA.
    case avx512

    /// The value `CChains` takes for this path (`dr_isa`).
    public var code: Int32 {
        switch self {
        case .portable: return Int32(DR_ISA_PORTABLE.rawValue)
        case .avx2: return Int32(DR_ISA_AVX2.rawValue)
        case .avx512: return Int32(DR_ISA_AVX512.rawValue)
        }
    }

    /// Whether this CPU can run the path.
    public var isSupported: Bool { Self.supported.contains(self) }

    /// The paths this CPU runs, asked once (`ChainGemm` checks it on every call).
    private static let supported = Set(allCases.filter { dr_isa_supported($0.code) != 0 })

    /// The fastest path this CPU supports.
    public static var best: InstructionSet { [.avx512, .avx2].first(where: \.isSupported) ?? .portable }

    /// The environment variable that chooses the path for a process: `portable`, `avx2`,
    /// `avx512` or `automatic` (the default: `best`). The command-line tool's `--isa` sets it.
    public static let environmentVariable = "DEEPRANK_ISA"

    /// The path named by a `--isa` value or the environment variable; nil for `automatic`.
    public static func parse(_ name: String) throws -> InstructionSet? {
        if name == "automatic" { return nil }
        guard let isa = InstructionSet(rawValue: name) else {
            throw InstructionSetError.unknown(name)
        }
        guard isa.isSupported else { throw InstructionSetError.unsupported(isa) }
        return isa
    }

    /// The path this process computes on, read once from `DEEPRANK_ISA`. A value that names
    /// no path, or one this CPU cannot run, stops the process with a message (exit 2) rather
    /// than run another path unasked.
    public static let selected: InstructionSet = {
        guard let name = ProcessInfo.processInfo.environment[environmentVariable] else { return best }
        do {
            return try parse(name) ?? best
        } catch {
            FileHandle.standardError.write(Data("error: \(environmentVariable)=\(name): \(error)\n".utf8))
            exit(2)
        }
    }()
}

/// Why a named instruction set cannot be used.
public enum InstructionSetError: Error, CustomStringConvertible {
    case unknown(String)
    case unsupported(InstructionSet)

    public var description: String {
        switch self {
        case .unknown(let name):
            return "unknown instruction set '\(name)' (expected portable, avx2, avx512 or automatic)"
        case .unsupported(let isa):
            return "this CPU cannot run the \(isa.rawValue) path"
        }
    }
}
