#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Read-only Float weights of `shape` at a stable address: either an allocation of their own
/// (`init(copying:)`) or a region of a memory mapping borrowed from `owner` (`init(borrowing:…)`: zero copy;
/// `owner`, e.g. the mapped file, stays alive as long as any storage refers to it). Copies of the value share
/// the floats. Invariant: `pointer` addresses `shape.count` floats that never change.
public struct WeightStorage: @unchecked Sendable {
    public let shape: Shape
    public let pointer: UnsafePointer<Float>
    /// Whether the floats are read in place from a mapping (not copied).
    public let isBorrowed: Bool
    private let owner: AnyObject

    /// Copies `tensor` into an allocation of its own.
    public init(copying tensor: Tensor) {
        let owned = OwnedFloats(count: tensor.count)
        tensor.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { owned.pointer.update(from: base, count: src.count) }
        }
        shape = tensor.shape
        pointer = UnsafePointer(owned.pointer)
        isBorrowed = false
        owner = owned
    }

    /// Reads `shape.count` floats at `pointer` in place; `owner` keeps them valid (a mapping's owner).
    public init(borrowing pointer: UnsafePointer<Float>, shape: Shape, owner: AnyObject) {
        self.shape = shape
        self.pointer = pointer
        self.isBorrowed = true
        self.owner = owner
    }

    /// Zeros of `shape` (an allocation of its own, from `calloc`: a large one costs no memory until written,
    /// so an encoder made to be loaded does not hold its size twice while loading).
    public init(zeros shape: Shape) {
        let owned = OwnedFloats(count: shape.count)
        self.shape = shape
        pointer = UnsafePointer(owned.pointer)
        isBorrowed = false
        owner = owned
    }

    public var count: Int { shape.count }
    /// Bytes of the floats (4 per element).
    public var bytes: Int { count * 4 }

    /// The floats as a new `Tensor` (a copy: materialised on demand).
    public var tensor: Tensor {
        Tensor(shape: shape, storage: Array(UnsafeBufferPointer(start: pointer, count: count)))
    }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try withExtendedLifetime(owner) { try body(UnsafeBufferPointer(start: pointer, count: count)) }
    }
}

/// A zero-filled Float allocation (`calloc`, malloc's alignment) freed with its owner.
private final class OwnedFloats {
    let pointer: UnsafeMutablePointer<Float>
    init(count: Int) {
        guard let raw = calloc(max(count, 1), 4) else { fatalError("WeightStorage: out of memory for \(count) floats") }
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }
    deinit { free(pointer) }
}
