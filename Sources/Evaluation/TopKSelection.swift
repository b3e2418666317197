/// Top-k selection of one query's references by cost (smaller = closer): a bounded
/// max-heap of the best k (cost, id) pairs seen so far, fed block by block.
///
/// The heap lives in the caller's memory (the query's row of the output), so selection
/// allocates nothing. Order: (cost, id) lexicographic, so among equal costs the smaller id
/// is closer. References must be offered in increasing id order (the search scans them in
/// order); then a later reference whose cost equals the current k-th best cannot enter,
/// and once the heap is full a block is pruned 16 costs at a time by `cost < threshold`,
/// the k-th best cost so far. NaN costs never enter.
struct TopKSelection {
    /// `[capacity]`: heap costs; `[0]` is the worst kept.
    let costs: UnsafeMutablePointer<Float>
    /// `[capacity]`: heap ids, beside `costs`.
    let ids: UnsafeMutablePointer<Int>
    let capacity: Int
    private(set) var count = 0

    init(costs: UnsafeMutablePointer<Float>, ids: UnsafeMutablePointer<Int>, capacity: Int) {
        self.costs = costs
        self.ids = ids
        self.capacity = capacity
    }

    /// The k-th best cost so far once k are kept; +infinity before.
    var threshold: Float { count == capacity ? costs[0] : .infinity }

    /// Whether (a, ia) ranks after (b, ib).
    @inline(__always) private static func worse(_ a: Float, _ ia: Int, than b: Float, _ ib: Int) -> Bool {
        a > b || (a == b && ia > ib)
    }

    /// Offers one reference; `id` must exceed every id offered before.
    @inline(__always) mutating func offer(_ cost: Float, id: Int) {
        if count < capacity {
            guard !cost.isNaN else { return }
            // Sift up from the new leaf.
            var child = count
            count += 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.worse(cost, id, than: costs[parent], ids[parent]) else { break }
                costs[child] = costs[parent]; ids[child] = ids[parent]
                child = parent
            }
            costs[child] = cost; ids[child] = id
        } else if cost < costs[0] {
            siftDown(cost, id, from: 0, end: count)
        }
    }

    /// Puts (cost, id) at `start` and sifts it down within `0..<end`.
    @inline(__always) private func siftDown(_ cost: Float, _ id: Int, from start: Int, end: Int) {
        var parent = start
        while true {
            var child = 2 * parent + 1
            guard child < end else { break }
            if child + 1 < end && Self.worse(costs[child + 1], ids[child + 1], than: costs[child], ids[child]) {
                child += 1
            }
            guard Self.worse(costs[child], ids[child], than: cost, id) else { break }
            costs[parent] = costs[child]; ids[parent] = ids[child]
            parent = child
        }
        costs[parent] = cost; ids[parent] = id
    }

    /// Offers references `firstID ..< firstID + count` with costs `block[j] + offsets[j]`
    /// (`offsets` nil: `block[j]`), skipping id `excluded`.
    @inline(__always) mutating func scan(_ block: UnsafePointer<Float>, offsets: UnsafePointer<Float>?,
                                         count n: Int, firstID: Int, excluded: Int) {
        @inline(__always) func cost(_ j: Int) -> Float { offsets.map { block[j] + $0[j] } ?? block[j] }
        var j = 0
        // Fill the heap one by one.
        while count < capacity && j < n {
            if firstID + j != excluded { offer(cost(j), id: firstID + j) }
            j += 1
        }
        // Then prune 16 at a time against the running threshold.
        var limit = SIMD16<Float>(repeating: threshold)
        while j + 16 <= n {
            var v = UnsafeRawPointer(block + j).loadUnaligned(as: SIMD16<Float>.self)
            if let offsets { v += UnsafeRawPointer(offsets + j).loadUnaligned(as: SIMD16<Float>.self) }
            if any(v .< limit) {
                for lane in 0..<16 where v[lane] < costs[0] && firstID + j + lane != excluded {
                    siftDown(v[lane], firstID + j + lane, from: 0, end: count)
                }
                limit = SIMD16<Float>(repeating: costs[0])
            }
            j += 16
        }
        while j < n {
            if firstID + j != excluded { offer(cost(j), id: firstID + j) }
            j += 1
        }
    }

    /// Sorts the kept pairs best first in place (heap sort) and pads the rest of the
    /// `capacity` slots with (NaN, -1).
    mutating func finish() {
        var end = count
        while end > 1 {
            end -= 1
            let (c, i) = (costs[end], ids[end])
            costs[end] = costs[0]; ids[end] = ids[0]
            siftDown(c, i, from: 0, end: end)
        }
        for slot in count..<capacity { costs[slot] = .nan; ids[slot] = -1 }
    }
}
