/// Scratch memory an extractor reuses from image to image (STYLE.md: hot paths allocate
/// nothing per step). One workspace per worker thread; never share one between threads.
///
/// Buffers are addressed by a slot number chosen by the extractor and grow on demand;
/// their contents are undefined on return.
public final class FeatureWorkspace {
    private var floatSlots: [UnsafeMutableBufferPointer<Float>] = []
    private var doubleSlots: [UnsafeMutableBufferPointer<Double>] = []
    private var intSlots: [UnsafeMutableBufferPointer<Int>] = []

    public init() {}

    deinit {
        for slot in floatSlots { slot.deallocate() }
        for slot in doubleSlots { slot.deallocate() }
        for slot in intSlots { slot.deallocate() }
    }

    /// A Float buffer of at least `count` elements in slot `slot`.
    public func floats(_ slot: Int, count: Int) -> UnsafeMutablePointer<Float> {
        FeatureWorkspace.buffer(in: &floatSlots, slot: slot, count: count)
    }

    /// A Double buffer of at least `count` elements in slot `slot`.
    public func doubles(_ slot: Int, count: Int) -> UnsafeMutablePointer<Double> {
        FeatureWorkspace.buffer(in: &doubleSlots, slot: slot, count: count)
    }

    /// An Int buffer of at least `count` elements in slot `slot`.
    public func ints(_ slot: Int, count: Int) -> UnsafeMutablePointer<Int> {
        FeatureWorkspace.buffer(in: &intSlots, slot: slot, count: count)
    }

    private static func buffer<T>(in slots: inout [UnsafeMutableBufferPointer<T>], slot: Int,
                                  count: Int) -> UnsafeMutablePointer<T> {
        while slots.count <= slot { slots.append(.allocate(capacity: 1)) }
        if slots[slot].count < count {
            slots[slot].deallocate()
            slots[slot] = .allocate(capacity: count)
        }
        return slots[slot].baseAddress!
    }
}
