/// A dense row-major tensor of Float. Copy-on-write through its `Array` storage.
/// Invariant: `storage.count == shape.count`.
public struct Tensor: Sendable, Equatable, CustomStringConvertible {
    public private(set) var shape: Shape
    public var storage: [Float] {
        didSet { precondition(storage.count == shape.count, "Tensor: storage size \(storage.count) != shape \(shape)") }
    }

    public init(shape: Shape, storage: [Float]) {
        precondition(storage.count == shape.count, "Tensor: \(storage.count) values do not fill shape \(shape) (\(shape.count))")
        self.shape = shape
        self.storage = storage
    }
    public init(shape: Shape, repeating value: Float = 0) {
        self.shape = shape
        self.storage = [Float](repeating: value, count: shape.count)
    }
    public static func zeros(_ dims: Int...) -> Tensor { Tensor(shape: Shape(dims)) }

    public var count: Int { storage.count }
    public var rank: Int { shape.rank }
    /// Rows of a rank-2 tensor.
    public var rows: Int { precondition(rank == 2, "rows: tensor is rank \(rank), not 2"); return shape[0] }
    /// Columns of a rank-2 tensor.
    public var cols: Int { precondition(rank == 2, "cols: tensor is rank \(rank), not 2"); return shape[1] }

    /// Element (i, j) of a rank-2 tensor.
    public subscript(i: Int, j: Int) -> Float {
        get { storage[i * shape[1] + j] }
        set { storage[i * shape[1] + j] = newValue }
    }

    /// The same values under another shape with the same element count.
    public func reshaped(_ dims: [Int]) -> Tensor {
        let s = Shape(dims)
        precondition(s.count == count, "reshaped: \(shape) cannot become \(s)")
        return Tensor(shape: s, storage: storage)
    }

    public var description: String { "Tensor\(shape)" }
}
