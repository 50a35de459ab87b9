/// Where one tensor lives in a safetensors file. `byteRange` is relative to the start of the
/// data section (the file offset of its first byte is `dataStart + byteRange.lowerBound`).
/// Invariant (checked on open): `byteRange.count == shape product × dtype.byteSize`.
public struct SafetensorsTensorInfo: Sendable, Equatable {
    public var name: String
    public var dtype: SafetensorsDType
    public var shape: [Int]
    public var byteRange: Range<Int>

    public init(name: String, dtype: SafetensorsDType, shape: [Int], byteRange: Range<Int>) {
        self.name = name; self.dtype = dtype; self.shape = shape; self.byteRange = byteRange
    }

    /// Number of elements (1 for a scalar, shape `[]`).
    public var elementCount: Int { shape.reduce(1, *) }
}
