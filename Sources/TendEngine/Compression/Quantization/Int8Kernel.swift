import CInt8

/// The int8 product kernels of the CInt8 target, by variant. `C[m][n] = Σ_k A[m][k]·B[n][k]` with
/// A 7-bit unsigned codes (0…127), B int8 codes, exact int32 accumulation — every variant gives the
/// same bits as the scalar reference.
public enum Int8Kernel: Int, Sendable, CaseIterable, CustomStringConvertible {
    case scalar = 0, avx2 = 1, avxVNNI = 2

    var c: cint8_variant { cint8_variant(rawValue: UInt32(rawValue)) }

    /// Whether this CPU runs the variant.
    public var isAvailable: Bool { cint8_variant_available(c) != 0 }
    /// The variants this CPU runs, scalar first.
    public static var available: [Int8Kernel] { allCases.filter(\.isAvailable) }
    /// The fastest variant this CPU runs (what `QuantizedModel` uses).
    public static var best: Int8Kernel { Int8Kernel(rawValue: Int(cint8_best_variant().rawValue)) ?? .scalar }
    public var description: String { String(cString: cint8_variant_name(c)) }

    /// Weights B [n, k] (row stride `ldb`) in the kernels' panel layout (8 outputs × 4 inputs per 32 bytes).
    public static func pack(n: Int, k: Int, b: UnsafePointer<Int8>, ldb: Int) -> [Int8] {
        let size = cint8_packed_size(Int32(n), Int32(k))
        var out = [Int8](repeating: 0, count: size)
        out.withUnsafeMutableBufferPointer { cint8_pack(Int32(n), Int32(k), b, Int32(ldb), $0.baseAddress) }
        return out
    }

    /// C [M, N] (row stride `ldc`) = A [M, K] (stride `lda`) · Bᵀ with B packed by `pack`.
    public func gemm(m: Int, n: Int, k: Int, a: UnsafePointer<UInt8>, lda: Int, packed: UnsafePointer<Int8>,
                     c out: UnsafeMutablePointer<Int32>, ldc: Int) {
        cint8_gemm_u7s8(c, Int32(m), Int32(n), Int32(k), a, Int32(lda), packed, out, Int32(ldc))
    }

    /// Array convenience for tests and tools: A [m, k], B [n, k] (unpacked) → C [m, n].
    public func gemm(m: Int, n: Int, k: Int, a: [UInt8], b: [Int8]) -> [Int32] {
        precondition(a.count == m * k && b.count == n * k, "Int8Kernel.gemm: \(a.count) and \(b.count) codes for \(m)×\(n)×\(k)")
        var out = [Int32](repeating: 0, count: m * n)
        if m == 0 || n == 0 { return out }
        let packed = b.withUnsafeBufferPointer { Self.pack(n: n, k: k, b: $0.baseAddress ?? UnsafePointer(bitPattern: 1)!, ldb: max(k, 1)) }
        a.withUnsafeBufferPointer { pa in
            packed.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { pc in
                    gemm(m: m, n: n, k: k, a: pa.baseAddress ?? UnsafePointer(bitPattern: 1)!, lda: max(k, 1),
                         packed: pb.baseAddress ?? UnsafePointer(bitPattern: 1)!, c: pc.baseAddress!, ldc: n)
                }
            }
        }
        return out
    }

    /// Peak multiply-accumulate rates (MACs per second of thread CPU time, best over about `seconds` each) of
    /// register-only loops: this variant's int8 product instructions and the fp32 FMA of the same
    /// vector width. `int8 / fp32` is the best int8 speed-up over fp32 products this CPU allows.
    public func peakRates(seconds: Double) -> (int8: Double, fp32: Double) {
        (cint8_peak_int8_macs(c, seconds), cint8_peak_fp32_macs(c, seconds))
    }

    /// The instructions `peakRates` times, for reports.
    public var peakInstructions: (int8: String, fp32: String) {
        switch self {
        case .scalar: ("scalar int32 multiply-add", "scalar fp32 multiply-add")
        case .avx2: ("vpmaddubsw+vpmaddwd+vpaddd (32 MACs)", "vfmadd231ps ymm (8 MACs)")
        case .avxVNNI: ("vpdpbusd ymm (32 MACs)", "vfmadd231ps ymm (8 MACs)")
        }
    }

    /// Best variant, split over `threads` threads by output panels when large enough.
    public static func parallelGEMM(m: Int, n: Int, k: Int, a: UnsafePointer<UInt8>, lda: Int, packed: UnsafePointer<Int8>,
                                    c: UnsafeMutablePointer<Int32>, ldc: Int, threads: Int) {
        cint8_gemm_u7s8_parallel(Int32(m), Int32(n), Int32(k), a, Int32(lda), packed, c, Int32(ldc), Int32(threads))
    }
}
