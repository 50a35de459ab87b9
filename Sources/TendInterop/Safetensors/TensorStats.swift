import CScan
import Foundation
import Synchronization

/// Statistics of one floating-point tensor of a safetensors file, from one scan.
/// Moments, extremes and quantization errors cover the finite values; NaN and ±Inf are counted in `nonFinite`
/// only. `sparsity` is the fraction of all weights with `|w| < threshold`, `zeros` counts ±0.
/// SQNR figures are in dB (10·log10 Σw² / Σ(w − q(w))²; +∞ when quantization is exact): `int8SQNR` with one
/// symmetric scale per output channel (dimension 0; the whole tensor for rank ≤ 1), levels −127...127;
/// `int4SQNR` with one symmetric scale per group of 32 consecutive weights of a channel, levels −7...7.
/// `magnitudeHistogram[i]` counts finite weights with `2^(magnitudeLowExponent+i-1) ≤ |w| < 2^(magnitudeLowExponent+i)`,
/// the first bin also holding smaller magnitudes and zeros, the last also larger ones.
/// `fineHistogram` has 2048 bins indexed by the top bits of |w| (exponent and 3 mantissa bits: 8 bins per
/// octave; see `FineMagnitude`), the input of whole-file what-if pruning.
public struct TensorStatistics: Sendable, Equatable {
    public var name: String
    public var dtype: SafetensorsDType
    public var shape: [Int]
    public var parameters: Int
    public var mean: Double
    public var std: Double
    public var min: Double
    public var max: Double
    public var absMax: Double
    /// Σ w² over the finite weights (the SQNR signal).
    public var sumSquares: Double
    public var threshold: Double
    public var sparsity: Double
    public var zeros: Int
    public var nonFinite: Int
    public var int8SQNR: Double
    public var int4SQNR: Double
    public var magnitudeLowExponent: Int
    public var magnitudeHistogram: [Int]
    public var fineHistogram: [Int]
}

/// The fine magnitude bins of `TensorStatistics.fineHistogram`: bin `i` holds |w| whose float bits, sign
/// dropped, shifted right by 20 equal `i`, i.e. |w| in [`lower(i)`, `upper(i)`). Bins 0...7 hold zeros and
/// subnormals; bins from `nonFiniteStart` on hold NaN and ±Inf.
public enum FineMagnitude {
    public static let bins = Int(CSCAN_FINE_BINS)
    public static let nonFiniteStart = Int(CSCAN_FINE_NONFINITE)
    public static func lower(_ i: Int) -> Double { Double(Float(bitPattern: UInt32(i) << 20)) }
    public static func upper(_ i: Int) -> Double { Double(Float(bitPattern: UInt32(i + 1) << 20)) }
    /// The bin of magnitude `x`.
    public static func bin(_ x: Float) -> Int { Int((x.bitPattern & 0x7FFF_FFFF) >> 20) }
}

/// Which kernel scans: the fastest this CPU runs, or one named variant (tests compare them).
public enum ScanKernel: Sendable, Equatable {
    case best, scalar, avx2
    var variant: cscan_variant {
        switch self {
        case .best: return cscan_best_variant()
        case .scalar: return CSCAN_SCALAR
        case .avx2: return CSCAN_AVX2
        }
    }
    /// The variant `.best` resolves to on this CPU: "avx2" or "scalar".
    public static var bestName: String { String(cString: cscan_variant_name(cscan_best_variant())) }
    /// Whether this CPU runs the AVX2 variant.
    public static var avx2Available: Bool { cscan_variant_available(CSCAN_AVX2) != 0 }
}

/// Progress of a running scan, for a background scan's observer.
public struct ScanObserver: Sendable {
    /// Called once per tensor when its last chunk is done: the index into `file.tensorInfo` and its statistics.
    public var tensorDone: @Sendable (Int, TensorStatistics) -> Void
    /// Called after each chunk with the bytes it covered.
    public var bytesDone: @Sendable (Int) -> Void
    /// Polled between chunks; true stops the scan (it then returns what was finished).
    public var isCancelled: @Sendable () -> Bool

    public init(tensorDone: @escaping @Sendable (Int, TensorStatistics) -> Void = { _, _ in },
                bytesDone: @escaping @Sendable (Int) -> Void = { _ in },
                isCancelled: @escaping @Sendable () -> Bool = { false }) {
        self.tensorDone = tensorDone; self.bytesDone = bytesDone; self.isCancelled = isCancelled
    }
}

/// Scans F32/F16/BF16/F64 tensors of a `SafetensorsFile` for `TensorStatistics` with the CScan kernel
/// (AVX2 when the CPU has it): one pass per channel for moments, extremes, counts, the fine magnitude
/// histogram and int4 errors, and a second (cache-resident) pass for the int8 error. Tensors are cut into
/// chunks of whole channels of about `chunkBytes`, spread over `threads` threads in header order, and
/// merged per tensor. Integer and bool tensors are skipped (they are not weights to quantize).
public struct TensorStatsScanner: Sendable {
    public var threshold: Float
    public var threads: Int
    public var kernel: ScanKernel
    public var chunkBytes = 8 << 20
    /// Magnitude histogram covers 2^low ... 2^high.
    public var magnitudeExponents: ClosedRange<Int> = -20...4
    public static let int4GroupSize = Int(CSCAN_INT4_GROUP)

    public init(threshold: Float = 1e-3, threads: Int = 2, kernel: ScanKernel = .best) {
        self.threshold = threshold
        self.threads = Swift.max(1, threads)
        self.kernel = kernel
    }

    /// True when `dtype` is scanned.
    public static func scans(_ dtype: SafetensorsDType) -> Bool { [.f32, .f16, .bf16, .f64].contains(dtype) }

    /// Bytes a full scan of `file` reads.
    public static func scannedBytes(_ file: SafetensorsFile) -> Int {
        file.tensorInfo.filter { scans($0.dtype) }.reduce(0) { $0 + $1.byteRange.count }
    }

    /// Rows (channels) and row length of a tensor as the scan sees it.
    static func layout(_ info: SafetensorsTensorInfo) -> (rows: Int, rowLength: Int) {
        let n = info.elementCount
        guard n > 0 else { return (0, 0) }
        let rows = info.shape.count >= 2 ? Swift.max(info.shape[0], 1) : 1
        return (rows, n / rows)
    }

    struct Chunk { var tensor: Int; var rows: Range<Int> }

    func chunks(_ file: SafetensorsFile) -> [Chunk] {
        var out: [Chunk] = []
        for (t, info) in file.tensorInfo.enumerated() where Self.scans(info.dtype) {
            let (rows, rowLength) = Self.layout(info)
            let rowBytes = Swift.max(1, rowLength * info.dtype.byteSize)
            let perChunk = Swift.max(1, chunkBytes / rowBytes)
            if rows == 0 { out.append(Chunk(tensor: t, rows: 0..<0)); continue }
            var r = 0
            while r < rows { out.append(Chunk(tensor: t, rows: r..<Swift.min(rows, r + perChunk))); r += perChunk }
        }
        return out
    }

    /// Statistics of every floating-point tensor of `file`, in header order.
    public func scan(_ file: SafetensorsFile) throws -> [TensorStatistics] {
        try scan(file, observer: ScanObserver())
    }

    /// Like `scan(_:)`, reporting each finished tensor and each chunk's bytes to `observer`.
    public func scan(_ file: SafetensorsFile, observer: ScanObserver) throws -> [TensorStatistics] {
        let work = chunks(file)
        var remaining = [Int](repeating: 0, count: file.tensorInfo.count)
        for c in work { remaining[c.tensor] += 1 }
        struct Merge { var acc: [Int: cscan_acc] = [:]; var remaining: [Int]; var done: [Int: TensorStatistics] = [:] }
        let state = Mutex(Merge(remaining: remaining))
        try forEach(work, isCancelled: observer.isCancelled) { c in
            let info = file.tensorInfo[c.tensor]
            var acc = cscan_acc()
            cscan_acc_init(&acc)
            try file.withBytes(info.name) { raw in self.accumulate(raw, info: info, rows: c.rows, into: &acc) }
            let finished: TensorStatistics? = state.withLock { m in
                if var total = m.acc[c.tensor] { cscan_acc_merge(&total, &acc); m.acc[c.tensor] = total }
                else { m.acc[c.tensor] = acc }
                m.remaining[c.tensor] -= 1
                guard m.remaining[c.tensor] == 0, let total = m.acc.removeValue(forKey: c.tensor) else { return nil }
                let s = self.statistics(total, info: info)
                m.done[c.tensor] = s
                return s
            }
            let (rows, rowLength) = Self.layout(info)
            observer.bytesDone(rows == 0 ? 0 : c.rows.count * rowLength * info.dtype.byteSize)
            if let finished { observer.tensorDone(c.tensor, finished) }
        }
        return state.withLock { m in m.done.sorted { $0.key < $1.key }.map(\.value) }
    }

    /// Statistics of one tensor's raw little-endian bytes.
    public func scan(_ raw: UnsafeRawBufferPointer, info: SafetensorsTensorInfo) -> TensorStatistics {
        var acc = cscan_acc()
        cscan_acc_init(&acc)
        accumulate(raw, info: info, rows: 0..<Self.layout(info).rows, into: &acc)
        return statistics(acc, info: info)
    }

    /// Adds channels `rows` of a tensor whose bytes are `raw` into `acc`.
    func accumulate(_ raw: UnsafeRawBufferPointer, info: SafetensorsTensorInfo, rows: Range<Int>, into acc: inout cscan_acc) {
        let (_, rowLength) = Self.layout(info)
        guard !rows.isEmpty, rowLength > 0, let base = raw.baseAddress else { return }
        let rowBytes = rowLength * info.dtype.byteSize
        let start = base + rows.lowerBound * rowBytes
        let v = kernel.variant
        switch info.dtype {
        case .f32: cscan_rows(v, CSCAN_F32, start, Int64(rows.count), Int64(rowLength), threshold, &acc)
        case .f16: cscan_rows(v, CSCAN_F16, start, Int64(rows.count), Int64(rowLength), threshold, &acc)
        case .bf16: cscan_rows(v, CSCAN_BF16, start, Int64(rows.count), Int64(rowLength), threshold, &acc)
        default:
            // F64 (rare in weight files): converted to Float a channel at a time.
            var scratch = [Float](repeating: 0, count: rowLength)
            scratch.withUnsafeMutableBufferPointer { s in
                for r in 0..<rows.count {
                    ElementConversion.convert(info.dtype, from: start + r * rowBytes, count: rowLength, into: s.baseAddress!)
                    cscan_rows(v, CSCAN_F32, s.baseAddress!, 1, Int64(rowLength), threshold, &acc)
                }
            }
        }
    }

    func statistics(_ acc: cscan_acc, info: SafetensorsTensorInfo) -> TensorStatistics {
        let n = info.elementCount
        let finite = Int(acc.count - acc.non_finite)
        let count = Double(finite)
        let mean = finite > 0 ? acc.sum / count : 0
        let variance = finite > 0 ? Swift.max(0, acc.sum_squares / count - mean * mean) : 0
        func sqnr(_ err: Double) -> Double { err == 0 ? .infinity : 10 * log10(acc.sum_squares / err) }
        let fine = withUnsafeBytes(of: acc.fine) { Array($0.bindMemory(to: Int64.self)).map { Int($0) } }
        let lo = magnitudeExponents.lowerBound, hi = magnitudeExponents.upperBound
        var hist = [Int](repeating: 0, count: hi - lo + 1)
        for i in 0..<FineMagnitude.nonFiniteStart where fine[i] > 0 {
            // Raw exponent e = i >> 3 holds |w| in [2^(e-127), 2^(e-126)): bin j has upper edge 2^(lo+j).
            let j = Swift.min(Swift.max((i >> 3) - 126 - lo, 0), hist.count - 1)
            hist[j] += fine[i]
        }
        return TensorStatistics(name: info.name, dtype: info.dtype, shape: info.shape, parameters: n,
                                mean: mean, std: variance.squareRoot(),
                                min: finite > 0 ? Double(acc.min) : 0, max: finite > 0 ? Double(acc.max) : 0,
                                absMax: Double(acc.absmax), sumSquares: acc.sum_squares, threshold: Double(threshold),
                                sparsity: n > 0 ? Double(acc.below) / Double(n) : 0,
                                zeros: Int(acc.zeros), nonFinite: Int(acc.non_finite),
                                int8SQNR: sqnr(acc.int8_error), int4SQNR: sqnr(acc.int4_error),
                                magnitudeLowExponent: lo, magnitudeHistogram: hist, fineHistogram: fine)
    }

    /// For each scanned tensor of `file` (index into `file.tensorInfo`), how many weights have |w| < `tau`.
    public func countBelow(_ file: SafetensorsFile, tau: Float, isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> [Int: Int] {
        let work = chunks(file)
        let counts = Mutex([Int: Int]())
        let v = kernel.variant
        try forEach(work, isCancelled: isCancelled) { c in
            let info = file.tensorInfo[c.tensor]
            let (_, rowLength) = Self.layout(info)
            let n: Int = try file.withBytes(info.name) { raw in
                guard !c.rows.isEmpty, let base = raw.baseAddress else { return 0 }
                let rowBytes = rowLength * info.dtype.byteSize
                let start = base + c.rows.lowerBound * rowBytes, count = c.rows.count * rowLength
                switch info.dtype {
                case .f32: return Int(cscan_count_below(v, CSCAN_F32, start, Int64(count), tau))
                case .f16: return Int(cscan_count_below(v, CSCAN_F16, start, Int64(count), tau))
                case .bf16: return Int(cscan_count_below(v, CSCAN_BF16, start, Int64(count), tau))
                default:
                    var below = 0
                    for i in 0..<count where abs(Float(start.loadUnaligned(fromByteOffset: i * 8, as: Double.self))) < tau { below += 1 }
                    return below
                }
            }
            counts.withLock { $0[c.tensor, default: 0] += n }
        }
        return counts.withLock { $0 }
    }

    /// Runs `each` on every chunk of `work`, taken in order by up to `threads` threads, until done, cancelled
    /// or a chunk throws (that thread stops; the first error is rethrown once all are done).
    private func forEach(_ work: [Chunk], isCancelled: @escaping @Sendable () -> Bool,
                         _ each: @escaping @Sendable (Chunk) throws -> Void) throws {
        let next = Atomic<Int>(0)
        let failure = Mutex<Error?>(nil)
        let body = { @Sendable in
            while !isCancelled() {
                let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard k < work.count else { return }
                do { try each(work[k]) } catch {
                    failure.withLock { $0 = $0 ?? error }
                    return
                }
            }
        }
        if threads == 1 || work.count < 2 { body() } else {
            DispatchQueue.concurrentPerform(iterations: Swift.min(threads, work.count)) { _ in body() }
        }
        if let e = failure.withLock({ $0 }) { throw e }
    }
}
