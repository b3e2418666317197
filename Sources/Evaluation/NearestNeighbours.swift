import TensorKit

/// Exhaustive top-k nearest-neighbour search, blocked so that memory stays bounded and
/// the work splits into fixed items (the paper's Score-at-top-K ranks every image of a
/// query's category; the retrieval metrics rank every test image; README, "The paper in
/// brief").
///
/// The `Q x N` cost matrix is never held whole. A work item is a block of
/// `queryBlock` queries; it walks the references in blocks of `referenceBlock`, has
/// `costBlock` write the `[queries, references]` block (sgemm or a plain loop) into a
/// per-worker workspace, then feeds each query's row to its `TopKSelection`. Block
/// boundaries depend only on Q and N, every item does the same arithmetic whatever the
/// thread count, and each query's heap is touched by one item only, so the result is
/// bit-identical with 1 or N threads (`Parallel`).
public enum NearestNeighbours {
    /// Queries per work item. Larger blocks amortise sgemm's packing of each reference
    /// block over more queries; 512 still gives 2 items to a batch of 1,000 queries.
    public static let queryBlock = 512
    /// References per cost block: `queryBlock x referenceBlock` floats (1 MiB) per worker,
    /// which stays in the L2 cache between the sgemm that writes it and the scan. (Measured
    /// on the 2-core benchmark machine, 100,000 x 128, k = 30: 512 x 512 and 1024 x 512
    /// about 10% faster than 256 x 1024.)
    public static let referenceBlock = 512

    /// The blocked driver.
    ///
    /// - Parameters:
    ///   - excluded: `[queryCount]`, or nil: per query, a reference id that must not be
    ///     returned (the query itself), -1 for none.
    ///   - offsets: `[referenceCount]`, or nil: a per-reference term added to every cost
    ///     (||r||^2 for squared L2, where the block holds -2 q.r).
    ///   - costBlock: `(queries, references, out)` writes the costs of `queries x
    ///     references` (minus `offsets`) into `out`, `[queries.count, references.count]`
    ///     row-major. Called concurrently from several workers, each with its own `out`.
    /// - Returns: `[queryCount, k]` reference ids and costs, best (smallest cost) first,
    ///   padded with -1 and NaN.
    static func search(queryCount: Int, referenceCount: Int, k: Int,
                       excluded: UnsafePointer<Int>?, offsets: UnsafePointer<Float>?,
                       costBlock: (_ queries: Range<Int>, _ references: Range<Int>,
                                   _ out: UnsafeMutablePointer<Float>) -> Void) -> (ids: [Int], costs: [Float]) {
        precondition(k >= 1, "top-k search needs k >= 1, got \(k)")
        var ids = [Int](repeating: -1, count: queryCount * k)
        var costs = [Float](repeating: .nan, count: queryCount * k)
        guard queryCount > 0 else { return (ids, costs) }
        let items = Parallel.blocks(queryCount, blockSize: queryBlock)
        let workers = min(Parallel.threads, items)
        let blockSize = min(queryBlock, queryCount) * min(referenceBlock, max(referenceCount, 1))
        let workspace = UnsafeMutablePointer<Float>.allocate(capacity: workers * blockSize)
        defer { workspace.deallocate() }
        ids.withUnsafeMutableBufferPointer { idBuffer in costs.withUnsafeMutableBufferPointer { costBuffer in
            let idBase = idBuffer.baseAddress!, costBase = costBuffer.baseAddress!
            Parallel.forEach(items) { item, worker in
                let queries = (item * queryBlock)..<min(queryCount, (item + 1) * queryBlock)
                let block = workspace + worker * blockSize
                var heaps = queries.map { q in
                    TopKSelection(costs: costBase + q * k, ids: idBase + q * k, capacity: k)
                }
                var start = 0
                while start < referenceCount {
                    let references = start..<min(referenceCount, start + referenceBlock)
                    costBlock(queries, references, block)
                    for (row, q) in queries.enumerated() {
                        heaps[row].scan(block + row * references.count, offsets: offsets.map { $0 + start },
                                        count: references.count, firstID: start, excluded: excluded?[q] ?? -1)
                    }
                    start = references.upperBound
                }
                for row in heaps.indices { heaps[row].finish() }
            }
        } }
        return (ids, costs)
    }
}
