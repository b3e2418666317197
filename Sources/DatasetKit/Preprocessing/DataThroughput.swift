import Foundation
import TensorKit

/// Loading + preprocessing throughput, the figure `deeprank bench data` reports (the
/// target: at least 5x the engine's training image rate, so data never starves training).
public enum DataThroughput {
    /// Images per second through `BatchAssembler.fill`, the median over `batches` timed
    /// batches of `batchSize` images (rate of each batch = `batchSize / seconds`, timed
    /// with `clock_gettime(CLOCK_MONOTONIC)`), with `threads` worker threads.
    ///
    /// Batch `b` holds the images `(b * batchSize + k) mod count`, `k < batchSize`, and
    /// uses step `b`, so both measurements see the same images and augmentations.
    /// - `imagesPerSecond` (warm): from the cache of prepared images; every image of the
    ///   timed batches is loaded once, untimed, before timing. This is the steady state
    ///   of a training run with the cache on.
    /// - `coldImagesPerSecond` (when `measureCold`): without a cache, so every image is
    ///   decoded and resized inside the timed region (the first epoch, or a run whose data
    ///   does not fit in memory). One untimed batch is run first.
    ///
    /// The batch tensor is `[batchSize, C, h, w]` with C and the prepared size taken from
    /// image 0. `Parallel.threads` is restored afterwards. Throws whatever loading throws.
    public static func measure(dataset: any ImageDataset, augmentation: Augmentation, batchSize: Int,
                               batches: Int, threads: Int, seed: UInt64 = 0,
                               measureCold: Bool = true) throws
        -> (imagesPerSecond: Double, coldImagesPerSecond: Double?)
    {
        precondition(batchSize > 0 && batches > 0 && threads > 0 && dataset.count > 0, "empty measurement")
        let previousThreads = Parallel.threads
        Parallel.configure(threads: threads)
        defer { Parallel.configure(threads: previousThreads) }

        let streams = RandomStreams(seed: seed)
        let indices = (0..<batches).map { b in (0..<batchSize).map { (b * batchSize + $0) % dataset.count } }
        let probe = augmentation.prepare(try dataset.image(at: 0))
        let (height, width) = augmentation.outputSize(forHeight: probe.height, width: probe.width)
        let batch = Tensor(zeros: [batchSize, probe.channels, height, width])

        func medianRate(_ assembler: BatchAssembler) throws -> Double {
            var rates: [Double] = []
            for b in 0..<batches {
                let start = monotonicSeconds()
                try assembler.fill(batch, indices: indices[b], step: b)
                rates.append(Double(batchSize) / max(monotonicSeconds() - start, 1e-9))
            }
            return median(rates)
        }

        let warm = BatchAssembler(dataset: dataset, augmentation: augmentation, streams: streams, cacheImages: true)
        for b in 0..<batches { try warm.fill(batch, indices: indices[b], step: b) }
        let warmRate = try medianRate(warm)

        var coldRate: Double?
        if measureCold {
            let cold = BatchAssembler(dataset: dataset, augmentation: augmentation, streams: streams, cacheImages: false)
            try cold.fill(batch, indices: indices[0], step: 0)
            coldRate = try medianRate(cold)
        }
        return (warmRate, coldRate)
    }

    private static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    private static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
