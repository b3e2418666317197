import Foundation

/// A dense Float32 tensor in row-major order; images are NCHW.
///
/// `Tensor` is a reference type on purpose: layers own their output and gradient
/// workspaces and hand them out by reference, so a training step allocates nothing
/// (STYLE.md, "Hot paths allocate nothing per step"). A tensor either owns its
/// 64-byte-aligned storage or is a *view* into another tensor's storage (a reshape, or a
/// named slice of the flat parameter store), in which case it keeps that tensor alive.
public final class Tensor {
    /// The extent of each dimension, outermost first (NCHW for images).
    public private(set) var shape: [Int]
    /// Number of elements, the product of `shape`.
    public private(set) var count: Int
    /// Start of the elements. Valid for the lifetime of this tensor.
    public let pointer: UnsafeMutablePointer<Float>
    private let capacity: Int
    private let base: Tensor?

    /// A zero-filled tensor of the given shape.
    public init(zeros shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        self.shape = shape
        self.count = shape.reduce(1, *)
        self.capacity = max(count, 1)
        var raw: UnsafeMutableRawPointer?
        let status = posix_memalign(&raw, 64, capacity * MemoryLayout<Float>.stride)
        precondition(status == 0 && raw != nil, "cannot allocate \(capacity) floats")
        self.pointer = raw!.bindMemory(to: Float.self, capacity: capacity)
        self.pointer.initialize(repeating: 0, count: capacity)
        self.base = nil
    }

    /// A tensor holding a copy of `values`, which must have `shape.product` elements.
    public convenience init(shape: [Int], values: [Float]) {
        self.init(zeros: shape)
        precondition(values.count == count, "\(values.count) values for shape \(shape)")
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
    }

    /// A view of `count(shape)` elements of `base` starting at `offset`; shares storage.
    public init(viewing base: Tensor, offset: Int = 0, shape: [Int]) {
        let count = shape.reduce(1, *)
        precondition(offset >= 0 && offset + count <= base.count,
                     "view [\(offset), \(offset + count)) outside tensor of \(base.count)")
        self.shape = shape
        self.count = count
        self.capacity = count
        self.pointer = base.pointer + offset
        self.base = base
    }

    deinit {
        if base == nil { free(pointer) }
    }

    /// Whether this tensor owns its storage (false for views).
    public var isView: Bool { base != nil }

    /// The elements as a buffer.
    @inlinable public var buffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: pointer, count: count)
    }

    /// A copy of the elements as an array (for tests and I/O; not for hot paths).
    public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    /// Element at a flat index.
    @inlinable public subscript(flat index: Int) -> Float {
        get { pointer[index] }
        set { pointer[index] = newValue }
    }

    /// Changes the shape without moving data. Shrinking or growing within the storage
    /// allocated at creation is allowed, so a workspace can serve a smaller batch.
    public func reshape(_ newShape: [Int]) {
        let newCount = newShape.reduce(1, *)
        precondition(newCount <= capacity, "reshape to \(newShape) exceeds capacity \(capacity)")
        shape = newShape
        count = newCount
    }

    /// Sets every element to zero.
    public func zero() { pointer.update(repeating: 0, count: count) }

    /// Sets every element to `value`.
    public func fill(_ value: Float) { pointer.update(repeating: value, count: count) }

    /// Copies the elements of `other`, which must have the same element count.
    public func copy(from other: Tensor) {
        precondition(other.count == count, "copy of \(other.shape) into \(shape)")
        pointer.update(from: other.pointer, count: count)
    }

    /// Copies `values` into this tensor.
    public func copy(from values: [Float]) {
        precondition(values.count == count, "copy of \(values.count) values into \(shape)")
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
    }

    /// A new tensor with the same shape and a copy of the elements.
    public func clone() -> Tensor {
        let result = Tensor(zeros: shape)
        result.copy(from: self)
        return result
    }

    /// Returns `workspace` if it already has `shape`'s element count available, else a new
    /// tensor; used by layers to keep their buffers across steps of the same batch size.
    public static func reusing(_ workspace: Tensor?, shape: [Int]) -> Tensor {
        let needed = shape.reduce(1, *)
        if let workspace, !workspace.isView, workspace.capacity >= needed {
            workspace.reshape(shape)
            return workspace
        }
        return Tensor(zeros: shape)
    }

    /// One workspace of `count` floats for each of `workers` workers (`Parallel.forEach`'s
    /// worker index): adds the missing ones and reuses each that is large enough (`reusing`).
    public static func reusing(_ workspaces: inout [Tensor], workers: Int, count: Int) {
        while workspaces.count < workers { workspaces.append(Tensor(zeros: [count])) }
        for i in 0..<workers { workspaces[i] = Tensor.reusing(workspaces[i], shape: [count]) }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = (0..<min(count, 8)).map { String(pointer[$0]) }.joined(separator: ", ")
        return "Tensor(\(shape): [\(shown)\(count > 8 ? ", ..." : "")])"
    }
}
