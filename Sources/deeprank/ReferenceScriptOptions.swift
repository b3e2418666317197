import ArgumentParser
import Foundation

/// The interpreter of the reference scripts (`Tests/Reference/bench_*.py`) a benchmark can
/// run beside ours; each script needs its own packages (torch, scikit-image, faiss-cpu).
struct ReferenceScriptOptions: ParsableArguments {
    @Option(help: "Python interpreter with the reference's packages installed ($DEEPRANK_PYTHON when set).")
    var python: String = ProcessInfo.processInfo.environment["DEEPRANK_PYTHON"] ?? "python3"
}
