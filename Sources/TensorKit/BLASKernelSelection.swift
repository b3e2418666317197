import Foundation

/// Picks OpenBLAS's CPU kernels when its own detection falls back to a generic one.
///
/// OpenBLAS 0.3.21 (Debian 12) predates Sapphire and Emerald Rapids: its run-time
/// detection does not recognise them and falls back to the SSE3 "Prescott" kernels, about
/// 8x slower than the AVX-512 ones the CPU supports. OpenBLAS reads `OPENBLAS_CORETYPE`
/// only when the library is loaded, so the command-line tool sets it and re-executes
/// itself once, before doing anything else. An explicit `OPENBLAS_CORETYPE` in the
/// environment always wins, and `DEEPRANK_KEEP_BLAS_CORE=1` turns the selection off. The
/// chosen core is recorded with every benchmark and run (`BLAS.coreType`).
public enum BLASKernelSelection {
    /// Kernel families OpenBLAS uses when it does not recognise the CPU.
    static let genericCores: Set<String> = ["prescott", "core2", "nehalem", "katmai", "coppermine",
                                            "northwood", "banias", "unknown"]

    /// The OpenBLAS core type this CPU supports, judged from /proc/cpuinfo flags.
    public static func bestCoreType(cpuFlags: Set<String>) -> String? {
        let avx512 = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
        if avx512.allSatisfy(cpuFlags.contains) {
            return cpuFlags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX"
        }
        if ["avx2", "fma"].allSatisfy(cpuFlags.contains) { return "Haswell" }
        return nil
    }

    /// The flags line of /proc/cpuinfo.
    public static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }

    /// Re-executes the current process with `OPENBLAS_CORETYPE` set when OpenBLAS chose a
    /// generic kernel on a CPU that supports a better one. Returns only when no re-exec is
    /// needed (or it failed, in which case the process goes on with the generic kernel).
    public static func reexecIfNeeded() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["OPENBLAS_CORETYPE"] == nil, environment["DEEPRANK_KEEP_BLAS_CORE"] == nil,
              genericCores.contains(BLAS.coreType.lowercased()),
              let core = bestCoreType(cpuFlags: cpuFlags()) else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        let arguments = CommandLine.arguments
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", &argv)
        // execv only returns on failure: carry on with the generic kernel.
        unsetenv("OPENBLAS_CORETYPE")
    }
}
