/// How a tensor is stored in Tend's sparse safetensors files, and what that costs in bytes of
/// tensor data (header excluded). `TendInterop.SparseTensorCodec` writes the files in these schemes:
/// - dense: 4·n (F32);
/// - bitmap: ⌈n/8⌉ (U8, one bit per element) + 4·nnz (F32 non-zeros, row-major);
/// - csr: 4·(rows+1) (I32 row pointers) + w·nnz (column indices, U16 when cols ≤ 65 536 else I32, w = 2 or 4)
///   + 4·nnz; rank-1 tensors are one row.
/// A non-zero is any value whose bit pattern is not +0.0 (so −0.0 round-trips exactly).
/// The cheapest scheme is chosen; ties prefer dense, then bitmap.
public enum SparseStorageScheme: String, Codable, Sendable, CaseIterable {
    case dense, bitmap, csr

    /// Bytes of tensor data this scheme needs for `shape` with `nonZeros` non-zero entries.
    public static func bytes(_ scheme: SparseStorageScheme, shape: [Int], nonZeros: Int) -> Int {
        let n = shape.reduce(1, *)
        switch scheme {
        case .dense: return 4 * n
        case .bitmap: return (n + 7) / 8 + 4 * nonZeros
        case .csr:
            let rows = shape.count >= 2 ? shape[0] : 1
            let cols = rows > 0 ? n / max(rows, 1) : 0
            return 4 * (rows + 1) + (cols <= 65_536 ? 2 : 4) * nonZeros + 4 * nonZeros
        }
    }

    /// The cheapest scheme and its bytes.
    public static func cheapest(shape: [Int], nonZeros: Int) -> (scheme: SparseStorageScheme, bytes: Int) {
        var best = (SparseStorageScheme.dense, bytes(.dense, shape: shape, nonZeros: nonZeros))
        for s in [SparseStorageScheme.bitmap, .csr] {
            let b = bytes(s, shape: shape, nonZeros: nonZeros)
            if b < best.1 { best = (s, b) }
        }
        return best
    }

    /// Entries whose bit pattern is not +0.0.
    public static func nonZeroCount(_ values: UnsafeBufferPointer<Float>) -> Int {
        values.withMemoryRebound(to: UInt32.self) { bits in
            var n = 0
            for b in bits where b != 0 { n += 1 }
            return n
        }
    }
}
