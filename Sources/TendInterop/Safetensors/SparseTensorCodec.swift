import TendEngine
import TendTensor

/// Sparse storage schemes for Tend's safetensors files. A non-zero is any value whose bit pattern
/// is not +0.0, so decoding gives back every bit (−0.0 included). Byte counts are tensor data only.
/// - `bitmap`: `<name>.bitmap` U8 [⌈n/8⌉], bit i of the row-major flat index at byte i/8, bit i%8
///   (least significant first, numpy `packbits(bitorder="little")`); `<name>.values` F32 [nnz], row-major.
/// - `csr`: `<name>.row_ptr` I32 [rows+1], `<name>.col_idx` U16 (cols ≤ 65 536) or I32 [nnz],
///   ascending within a row, `<name>.values` F32 [nnz]; rank-1 tensors are one row.
/// - `dense`: the tensor itself as F32 under its own name.
/// The header metadata `tend.sparse.<name>` = `{"scheme":"bitmap","shape":[…],"nnz":N,"bit_order":"lsb0",
/// "layout":"row-major","version":1}` marks a sparse tensor and says how to decode it without reading Tend's code.
/// The engine's `SparseStorageScheme` (which also owns the byte-cost formula), as this codec writes it.
public typealias SparseScheme = SparseStorageScheme

/// Encodes and decodes one tensor in a `SparseScheme`.
public enum SparseTensorCodec {
    /// Bit order of `bitmap` masks: bit k of byte b is element 8b + k (numpy `bitorder="little"`).
    public static let bitOrder = "lsb0"
    /// Element order of every component: row-major (C order) over the tensor's shape.
    public static let layout = "row-major"
    /// Version of the schemes' byte layout described here.
    public static let version = 1

    /// The `tend.sparse.<name>` metadata value for a tensor stored in `scheme`.
    public static func describe(scheme: SparseScheme, shape: [Int], nonZeros: Int) -> String {
        "{\"scheme\":\"\(scheme.rawValue)\",\"shape\":[\(shape.map(String.init).joined(separator: ","))],\"nnz\":\(nonZeros),"
            + "\"bit_order\":\"\(bitOrder)\",\"layout\":\"\(layout)\",\"version\":\(version)}"
    }

    /// Entries whose bit pattern is not +0.0.
    public static func nonZeroCount(_ t: Tensor) -> Int { t.withUnsafeBufferPointer(SparseStorageScheme.nonZeroCount) }

    /// Bytes `t` occupies in its cheapest scheme.
    public static func storedBytes(_ t: Tensor) -> Int { SparseStorageScheme.cheapest(shape: t.shape.dims, nonZeros: nonZeroCount(t)).bytes }

    /// (rows, cols) as CSR sees `shape`: rank ≥ 2 is [shape[0], rest], rank ≤ 1 is one row.
    static func matrixShape(_ shape: [Int]) -> (rows: Int, cols: Int) {
        let n = shape.reduce(1, *)
        if shape.count >= 2 { return (shape[0], shape[0] > 0 ? n / shape[0] : 0) }
        return (1, n)
    }

    /// The safetensors entries storing `t` under `name` in `scheme` (nil: the cheapest).
    public static func encode(name: String, tensor t: Tensor, scheme: SparseScheme? = nil) -> (scheme: SparseScheme, entries: [SafetensorsEntry], nonZeros: Int) {
        let nnz = nonZeroCount(t)
        let chosen = scheme ?? SparseStorageScheme.cheapest(shape: t.shape.dims, nonZeros: nnz).scheme
        var values = [Float](); values.reserveCapacity(nnz)
        switch chosen {
        case .dense:
            return (.dense, [SafetensorsEntry(name: name, tensor: t)], nnz)
        case .bitmap:
            var bitmap = [UInt8](repeating: 0, count: (t.count + 7) / 8)
            t.withUnsafeBufferPointer { p in
                p.withMemoryRebound(to: UInt32.self) { bits in
                    for i in 0..<bits.count where bits[i] != 0 {
                        bitmap[i >> 3] |= UInt8(1) << UInt8(i & 7)
                        values.append(p[i])
                    }
                }
            }
            return (.bitmap, [SafetensorsEntry(name: name + ".bitmap", dtype: .u8, shape: [bitmap.count], bytes: bitmap),
                              SafetensorsEntry(name: name + ".values", dtype: .f32, shape: [nnz], bytes: littleEndianBytes(values))], nnz)
        case .csr:
            let (rows, cols) = matrixShape(t.shape.dims)
            var rowPtr = [Int32](repeating: 0, count: rows + 1)
            var colIdx = [Int](); colIdx.reserveCapacity(nnz)
            t.withUnsafeBufferPointer { p in
                p.withMemoryRebound(to: UInt32.self) { bits in
                    for r in 0..<rows {
                        for c in 0..<cols where bits[r * cols + c] != 0 {
                            colIdx.append(c); values.append(p[r * cols + c])
                        }
                        rowPtr[r + 1] = Int32(values.count)
                    }
                }
            }
            let narrow = cols <= 65_536
            let idxBytes: [UInt8] = narrow ? littleEndianBytes(colIdx.map { UInt16($0) }) : littleEndianBytes(colIdx.map { Int32($0) })
            return (.csr, [SafetensorsEntry(name: name + ".row_ptr", dtype: .i32, shape: [rows + 1], bytes: littleEndianBytes(rowPtr)),
                           SafetensorsEntry(name: name + ".col_idx", dtype: narrow ? .u16 : .i32, shape: [nnz], bytes: idxBytes),
                           SafetensorsEntry(name: name + ".values", dtype: .f32, shape: [nnz], bytes: littleEndianBytes(values))], nnz)
        }
    }

    /// Component tensor names of `name` stored in `scheme`.
    public static func componentNames(_ name: String, scheme: SparseScheme) -> [String] {
        switch scheme {
        case .dense: return [name]
        case .bitmap: return [name + ".bitmap", name + ".values"]
        case .csr: return [name + ".row_ptr", name + ".col_idx", name + ".values"]
        }
    }

    /// Rebuilds the dense tensor `name` of `shape` from its components in `file`, validating them.
    public static func decode(name: String, scheme: SparseScheme, shape: [Int], from file: SafetensorsFile) throws -> Tensor {
        let n = shape.reduce(1, *)
        func fail(_ reason: String) -> SparseSafetensorsError { .inconsistent(path: file.path, tensor: name, reason: reason) }
        switch scheme {
        case .dense:
            let t = try file.floatTensor(name)
            guard t.shape.dims == shape else { throw fail("shape \(t.shape.dims) differs from the metadata's \(shape)") }
            return t
        case .bitmap:
            let bitmapInfo = try file.info(name + ".bitmap")
            guard bitmapInfo.dtype == .u8, bitmapInfo.elementCount == (n + 7) / 8 else {
                throw fail("\(name).bitmap must be U8 [\((n + 7) / 8)] for \(n) elements, is \(bitmapInfo.dtype.rawValue) \(bitmapInfo.shape)")
            }
            let values = try floatValues(name + ".values", in: file)
            var out = [Float](repeating: 0, count: n)
            var next = 0
            try file.withBytes(name + ".bitmap") { raw in
                for i in 0..<n where raw[i >> 3] & (UInt8(1) << UInt8(i & 7)) != 0 {
                    guard next < values.count else { throw fail("bitmap has more set bits than the \(values.count) values (at element \(i))") }
                    out[i] = values[next]; next += 1
                }
                if n % 8 != 0, raw[n >> 3] >> UInt8(n & 7) != 0 { throw fail("bitmap has bits set past element \(n - 1)") }
            }
            guard next == values.count else { throw fail("bitmap has \(next) set bits but there are \(values.count) values") }
            return Tensor(shape: Shape(shape), storage: out)
        case .csr:
            let (rows, cols) = matrixShape(shape)
            let rowPtr = try integers(name + ".row_ptr", in: file)
            let colIdx = try integers(name + ".col_idx", in: file)
            let values = try floatValues(name + ".values", in: file)
            guard rowPtr.count == rows + 1 else { throw fail("row_ptr has \(rowPtr.count) entries, expected rows+1 = \(rows + 1)") }
            guard rowPtr.first == 0, rowPtr.last == values.count, colIdx.count == values.count else {
                throw fail("row_ptr must run from 0 to nnz = \(values.count) with \(values.count) column indices; got \(rowPtr.first ?? -1)…\(rowPtr.last ?? -1) and \(colIdx.count)")
            }
            var out = [Float](repeating: 0, count: n)
            for r in 0..<rows {
                let (a, b) = (rowPtr[r], rowPtr[r + 1])
                guard a <= b else { throw fail("row_ptr decreases at row \(r) (\(a) > \(b))") }
                var last = -1
                for k in a..<b {
                    let c = colIdx[k]
                    guard c > last, c < cols else { throw fail("col_idx[\(k)] = \(c) in row \(r) is out of order or outside 0..<\(cols)") }
                    out[r * cols + c] = values[k]; last = c
                }
            }
            return Tensor(shape: Shape(shape), storage: out)
        }
    }

    private static func floatValues(_ name: String, in file: SafetensorsFile) throws -> [Float] {
        let info = try file.info(name)
        guard info.dtype == .f32, info.shape.count == 1 else {
            throw SparseSafetensorsError.inconsistent(path: file.path, tensor: name, reason: "values must be F32 [nnz], are \(info.dtype.rawValue) \(info.shape)")
        }
        return try file.floatTensor(name).storage
    }

    private static func integers(_ name: String, in file: SafetensorsFile) throws -> [Int] {
        let info = try file.info(name)
        guard [.i32, .u16, .i64, .u32].contains(info.dtype), info.shape.count == 1 else {
            throw SparseSafetensorsError.inconsistent(path: file.path, tensor: name, reason: "must be an integer vector (I32/U16), is \(info.dtype.rawValue) \(info.shape)")
        }
        return try file.withBytes(name) { raw in
            let n = info.elementCount
            switch info.dtype {
            case .u16: return (0..<n).map { Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))) }
            case .u32: return (0..<n).map { Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
            case .i64: return (0..<n).map { Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self))) }
            default: return (0..<n).map { Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self))) }
            }
        }
    }

    static func littleEndianBytes<T: FixedWidthInteger>(_ xs: [T]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: xs.count * MemoryLayout<T>.size)
        out.withUnsafeMutableBytes { raw in
            for (i, x) in xs.enumerated() { raw.storeBytes(of: x.littleEndian, toByteOffset: i * MemoryLayout<T>.size, as: T.self) }
        }
        return out
    }

    static func littleEndianBytes(_ xs: [Float]) -> [UInt8] { littleEndianBytes(xs.map(\.bitPattern)) }
}
