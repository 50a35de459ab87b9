/// Raw access and buffer reuse. The hot paths of the engine write into tensors they own through
/// these methods so that a training step allocates nothing once its buffers have the right shape.
extension Tensor {
    /// A tensor with no elements (shape `[0]`); holds no heap storage. Used to drop references.
    public static var empty: Tensor { Tensor(shape: Shape([0]), storage: []) }

    /// Builds a rank-2 tensor from rows of equal length.
    public init(rows: [[Float]]) {
        let r = rows.count
        let c = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == c }, "Tensor(rows:): rows have different lengths")
        self.init(shape: Shape([r, c]), storage: rows.flatMap { $0 })
    }

    /// Read-only view of the elements, row-major.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Mutable view of the elements, row-major. Copies first only if the storage is shared.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer { try body($0) }
    }

    /// Makes this tensor have `shape`. Reallocates (zero-filled) only when the shape differs;
    /// otherwise keeps the current contents, which callers are expected to overwrite.
    @inlinable
    public mutating func ensureShape(_ shape: Shape) {
        if self.shape != shape { self = Tensor(shape: shape) }
    }

    /// Rank-2 convenience for `ensureShape(_:)`.
    @inlinable
    public mutating func ensureShape(rows: Int, cols: Int) {
        if rank != 2 || shape[0] != rows || shape[1] != cols { self = Tensor(shape: Shape([rows, cols])) }
    }

    /// Sets every element to `value`.
    public mutating func fill(_ value: Float) {
        withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = value }
        }
    }

    /// Row `i` of a rank-2 tensor as an array (a copy).
    public func row(_ i: Int) -> [Float] {
        let c = cols
        return Array(storage[(i * c)..<((i + 1) * c)])
    }
}

extension Tensor {
    /// Rows `range` of a rank-2 tensor as a new [range.count, cols] tensor (e.g. one evaluation batch).
    public func sliceRows(_ range: Range<Int>) -> Tensor {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "sliceRows: \(range) outside 0..<\(rows)")
        let c = cols
        return Tensor(shape: Shape([range.count, c]), storage: Array(storage[(range.lowerBound * c)..<(range.upperBound * c)]))
    }
}
