import Foundation
import TensorKit

/// A fixed-size weighted reservoir (Efraimidis and Spirakis 2006, algorithm A-Res), one
/// per category in the paper's online triplet sampling (its section "Triplet Sampling";
/// README, "The paper in brief").
///
/// Each offered item gets the key k = u^(1/w), u ~ U(0, 1), w its weight (the image's
/// total relevance r_j); the buffer keeps the `capacity` items with the largest keys
/// seen so far. After a stream of items, the buffer is a weighted sample without
/// replacement: for capacity 1 item i is kept with probability w_i / sum w. Keys are
/// compared as log(u) / w (same order, no underflow for large w); equal keys keep the
/// item already in the buffer. Items of weight 0 are never kept (the key would be 0).
///
/// Storage: a binary min-heap on the key, so a full buffer replaces its smallest key in
/// O(log capacity). `items` is in heap order, which depends only on the offers made.
public struct ReservoirBuffer: Sendable, Equatable {
    /// The most items the buffer holds.
    public let capacity: Int
    /// The items held, in heap order.
    public private(set) var items: [Int] = []
    /// log(key) of each item, parallel to `items`; `logKeys[0]` is the smallest.
    private var logKeys: [Double] = []

    public init(capacity: Int) {
        precondition(capacity >= 1, "reservoir capacity \(capacity) < 1")
        self.capacity = capacity
    }

    /// Offers `item` with weight `weight` and the uniform draw `u` in (0, 1); returns
    /// whether it was kept (possibly evicting the smallest key).
    @discardableResult
    public mutating func offer(_ item: Int, weight: Double, uniform u: Double) -> Bool {
        precondition(u > 0 && u < 1, "reservoir uniform \(u) outside (0, 1)")
        guard weight > 0 else { return false }
        let logKey = Foundation.log(u) / weight
        if items.count < capacity {
            items.append(item)
            logKeys.append(logKey)
            siftUp(items.count - 1)
            return true
        }
        guard logKey > logKeys[0] else { return false }
        items[0] = item
        logKeys[0] = logKey
        siftDown(0)
        return true
    }

    /// Offers `item`, drawing u from `stream` (one `nextUniform()`, redrawn while it is
    /// exactly 0), whatever the weight, so the stream position depends only on the
    /// number of offers.
    @discardableResult
    public mutating func offer(_ item: Int, weight: Double, stream: inout RandomStream) -> Bool {
        var u = stream.nextUniform()
        while u == 0 { u = stream.nextUniform() }
        return offer(item, weight: weight, uniform: u)
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard logKeys[child] < logKeys[parent] else { return }
            swapEntries(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count && logKeys[left] < logKeys[smallest] { smallest = left }
            if right < items.count && logKeys[right] < logKeys[smallest] { smallest = right }
            guard smallest != parent else { return }
            swapEntries(parent, smallest)
            parent = smallest
        }
    }

    private mutating func swapEntries(_ a: Int, _ b: Int) {
        items.swapAt(a, b)
        logKeys.swapAt(a, b)
    }
}
