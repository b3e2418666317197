import Dispatch

/// Runs work items on a fixed number of threads, deterministically.
///
/// Work is split into items whose boundaries depend only on the problem (an image, a
/// block of rows), never on the thread count; a thread processes items
/// `t, t + threads, t + 2*threads, ...`. Every item does the same floating-point work in
/// the same order whatever the thread count, and reductions across items are added
/// afterwards in item order, so the results are bit-identical with 1 or N threads
/// (README, "Determinism").
public enum Parallel {
    private nonisolated(unsafe) static var configuredThreads = 1

    /// Number of worker threads used by `forEach`.
    public static var threads: Int { configuredThreads }

    /// Sets the thread count for our own kernels. BLAS is always called single-threaded
    /// from inside work items (see `BLAS.configureSingleThreaded`).
    public static func configure(threads: Int) {
        precondition(threads >= 1, "thread count must be at least 1")
        configuredThreads = threads
        BLAS.configureSingleThreaded()
    }

    /// Calls `body(item, worker)` for every item in `0..<items`; `worker` is in
    /// `0..<min(threads, items)` and identifies a per-thread workspace.
    @inlinable public static func forEach(_ items: Int, _ body: (_ item: Int, _ worker: Int) -> Void) {
        let workers = min(threads, items)
        if workers <= 1 {
            for item in 0..<items { body(item, 0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var item = worker
                while item < items {
                    body(item, worker)
                    item += workers
                }
            }
        }
    }

    /// Splits `0..<count` into consecutive blocks of `blockSize` (the last may be shorter).
    @inlinable public static func blocks(_ count: Int, blockSize: Int) -> Int {
        (count + blockSize - 1) / blockSize
    }
}
