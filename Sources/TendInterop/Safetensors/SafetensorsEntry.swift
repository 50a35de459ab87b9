import TendTensor

/// One tensor to write: a name, dtype, shape and its little-endian bytes (given, or produced
/// on demand while writing so large tensors need not be held twice).
/// Invariant checked by the writer: the bytes number `shape product × dtype.byteSize`.
public struct SafetensorsEntry: @unchecked Sendable {
    public var name: String
    public var dtype: SafetensorsDType
    public var shape: [Int]
    let payload: Payload

    enum Payload {
        case bytes([UInt8])
        case floats([Float])
        case produce(() throws -> [UInt8])
    }

    /// An F32 entry holding `tensor`'s values and shape.
    public init(name: String, tensor: Tensor) {
        self.name = name; self.dtype = .f32; self.shape = tensor.shape.dims; self.payload = .floats(tensor.storage)
    }

    /// A raw typed blob (e.g. U8/I8 quantized weights, I32 sparse indices).
    public init(name: String, dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) {
        self.name = name; self.dtype = dtype; self.shape = shape; self.payload = .bytes(bytes)
    }

    /// A blob whose bytes are produced when the writer reaches it; an error thrown by `produce`
    /// aborts the write and leaves any existing file untouched.
    public init(name: String, dtype: SafetensorsDType, shape: [Int], produce: @escaping () throws -> [UInt8]) {
        self.name = name; self.dtype = dtype; self.shape = shape; self.payload = .produce(produce)
    }

    /// Bytes this entry must occupy, or nil if the shape is invalid or overflows.
    var expectedByteCount: Int? {
        var n = 1
        for d in shape {
            guard d >= 0 else { return nil }
            let (p, o) = n.multipliedReportingOverflow(by: d)
            if o { return nil }
            n = p
        }
        let (b, o) = n.multipliedReportingOverflow(by: dtype.byteSize)
        return o ? nil : b
    }
}
