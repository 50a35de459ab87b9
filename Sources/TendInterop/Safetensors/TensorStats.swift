import Foundation
import Synchronization

/// Statistics of one floating-point tensor of a safetensors file, from one vectorised scan.
/// `sparsity` is the fraction of weights with `|w| < threshold`. SQNR figures are in dB
/// (10·log10 Σw² / Σ(w − q(w))²; +∞ when quantization is exact): `int8SQNR` with one symmetric scale per
/// output channel (dimension 0; the whole tensor for rank ≤ 1), levels −127...127; `int4SQNR` with one
/// symmetric scale per group of 32 consecutive weights of a channel, levels −7...7.
/// `magnitudeHistogram[i]` counts weights with `2^(magnitudeLowExponent+i-1) ≤ |w| < 2^(magnitudeLowExponent+i)`,
/// the first bin also holding smaller magnitudes and zeros, the last also larger ones.
public struct TensorStatistics: Sendable, Equatable {
    public var name: String
    public var dtype: SafetensorsDType
    public var shape: [Int]
    public var parameters: Int
    public var mean: Double
    public var std: Double
    public var min: Double
    public var max: Double
    public var threshold: Double
    public var sparsity: Double
    public var int8SQNR: Double
    public var int4SQNR: Double
    public var magnitudeLowExponent: Int
    public var magnitudeHistogram: [Int]
}

/// Scans F32/F16/BF16/F64 tensors of a `SafetensorsFile` for `TensorStatistics`: per channel, one pass
/// for moments, extremes, sparsity and magnitude exponents, and a second (cache-resident) pass for the
/// quantization error. Tensors are spread over `threads` threads, largest first. Integer and bool
/// tensors are skipped (they are not weights to quantize).
public struct TensorStatsScanner: Sendable {
    public var threshold: Float
    public var threads: Int
    /// Magnitude histogram covers 2^low ... 2^high.
    public var magnitudeExponents: ClosedRange<Int> = -20...4
    public static let int4GroupSize = 32

    public init(threshold: Float = 1e-3, threads: Int = 2) {
        self.threshold = threshold
        self.threads = Swift.max(1, threads)
    }

    /// True when `dtype` is scanned.
    public static func scans(_ dtype: SafetensorsDType) -> Bool { [.f32, .f16, .bf16, .f64].contains(dtype) }

    /// Statistics of every floating-point tensor of `file`, in header order.
    public func scan(_ file: SafetensorsFile) throws -> [TensorStatistics] {
        let infos = file.tensorInfo.filter { Self.scans($0.dtype) }
        let order = infos.indices.sorted { infos[$0].byteRange.count > infos[$1].byteRange.count }
        let results = Mutex([TensorStatistics?](repeating: nil, count: infos.count))
        let next = Atomic<Int>(0)
        let failure = Mutex<Error?>(nil)
        let work = { @Sendable in
            while true {
                let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard k < order.count else { return }
                let info = infos[order[k]]
                do {
                    let s = try file.withBytes(info.name) { raw in self.scan(raw, info: info) }
                    results.withLock { $0[order[k]] = s }
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                }
            }
        }
        if threads == 1 || infos.count < 2 { work() } else {
            DispatchQueue.concurrentPerform(iterations: Swift.min(threads, infos.count)) { _ in work() }
        }
        if let e = failure.withLock({ $0 }) { throw e }
        return results.withLock { $0.compactMap { $0 } }
    }

    /// Statistics of one tensor's raw little-endian bytes.
    public func scan(_ raw: UnsafeRawBufferPointer, info: SafetensorsTensorInfo) -> TensorStatistics {
        let n = info.elementCount
        let channels = info.shape.count >= 2 ? Swift.max(info.shape[0], 1) : 1
        let rowLength = channels > 0 && n > 0 ? n / channels : 0
        var acc = Accumulator()
        var scratch: [Float] = info.dtype == .f32 ? [] : [Float](repeating: 0, count: rowLength)
        if n > 0 {
            for c in 0..<channels {
                let rowBytes = rowLength * info.dtype.byteSize
                let src = raw.baseAddress! + c * rowBytes
                if info.dtype == .f32 {
                    row(UnsafeRawPointer(src), rowLength, &acc)
                } else {
                    scratch.withUnsafeMutableBufferPointer { s in
                        ElementConversion.convert(info.dtype, from: src, count: rowLength, into: s.baseAddress!)
                        row(UnsafeRawPointer(s.baseAddress!), rowLength, &acc)
                    }
                }
            }
        }
        let count = Double(n)
        let mean = n > 0 ? acc.sum / count : 0
        let variance = n > 0 ? Swift.max(0, acc.sumSquares / count - mean * mean) : 0
        func sqnr(_ err: Double) -> Double { err == 0 ? .infinity : 10 * log10(acc.sumSquares / err) }
        // Fold raw exponents into the histogram range.
        let lo = magnitudeExponents.lowerBound, hi = magnitudeExponents.upperBound
        var hist = [Int](repeating: 0, count: hi - lo + 1)
        for k in 1..<4 { for e in 0..<256 { acc.exponents[e] += acc.exponents[k * 256 + e] } }
        for e in 0..<256 where acc.exponents[e] > 0 {
            // Raw exponent e holds |w| in [2^(e-127), 2^(e-126)): bin i has upper edge 2^(lo+i).
            let i = Swift.min(Swift.max(e - 126 - lo, 0), hist.count - 1)
            hist[i] += acc.exponents[e]
        }
        return TensorStatistics(name: info.name, dtype: info.dtype, shape: info.shape, parameters: n,
                                mean: mean, std: variance.squareRoot(),
                                min: n > 0 ? Double(acc.min) : 0, max: n > 0 ? Double(acc.max) : 0,
                                threshold: Double(threshold), sparsity: n > 0 ? Double(acc.below) / count : 0,
                                int8SQNR: sqnr(acc.int8Error), int4SQNR: sqnr(acc.int4Error),
                                magnitudeLowExponent: lo, magnitudeHistogram: hist)
    }

    struct Accumulator {
        var sum = 0.0, sumSquares = 0.0
        var min = Float.infinity, max = -Float.infinity
        var below = 0
        var int8Error = 0.0, int4Error = 0.0
        /// Four tables of 256 raw-exponent counts (lanes spread over them), summed at the end.
        var exponents = [Int](repeating: 0, count: 1024)
    }

    typealias V = SIMD8<Float>

    @inline(__always) static func vmin(_ a: V, _ b: V) -> V { a.replacing(with: b, where: b .< a) }
    @inline(__always) static func vmax(_ a: V, _ b: V) -> V { a.replacing(with: b, where: b .> a) }
    @inline(__always) static func vabs(_ v: V) -> V { unsafeBitCast(unsafeBitCast(v, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: V.self) }
    @inline(__always) static func hsum(_ v: V) -> Float { ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7])) }
    @inline(__always) static func hmax(_ v: V) -> Float {
        Swift.max(Swift.max(Swift.max(v[0], v[1]), Swift.max(v[2], v[3])), Swift.max(Swift.max(v[4], v[5]), Swift.max(v[6], v[7])))
    }
    @inline(__always) static func hmin(_ v: V) -> Float {
        Swift.min(Swift.min(Swift.min(v[0], v[1]), Swift.min(v[2], v[3])), Swift.min(Swift.min(v[4], v[5]), Swift.min(v[6], v[7])))
    }
    /// Round to nearest even for |x| < 2^22 (adding and subtracting 1.5·2^23 leaves no fraction bits).
    @inline(__always) static func roundNearest(_ v: V) -> V {
        let magic = V(repeating: 12_582_912)
        return (v + magic) - magic
    }

    /// Both passes over one channel of `n` floats at `p` (any alignment).
    @inline(__always)
    func row(_ p: UnsafeRawPointer, _ n: Int, _ acc: inout Accumulator) {
        let tau = V(repeating: threshold)
        var vsum = V(), vsq = V(), vmin = V(repeating: .infinity), vmax = V(repeating: -.infinity), vam = V()
        var vbelow = SIMD8<Int32>()
        let vectors = n / 8
        acc.exponents.withUnsafeMutableBufferPointer { ex in
            let e0 = ex.baseAddress!
            for i in 0..<vectors {
                if i & 1023 == 1023 {
                    // Float partial sums stay accurate over 8K elements; carry them into Double.
                    acc.sum += Double(Self.hsum(vsum)); acc.sumSquares += Double(Self.hsum(vsq))
                    vsum = V(); vsq = V()
                }
                let v = p.loadUnaligned(fromByteOffset: i &* 32, as: V.self)
                vsum += v
                vsq += v * v
                vmin = Self.vmin(vmin, v)
                vmax = Self.vmax(vmax, v)
                let mag = Self.vabs(v)
                vam = Self.vmax(vam, mag)
                vbelow &+= unsafeBitCast(mag .< tau, to: SIMD8<Int32>.self)
                // Raw exponent byte of each lane; lanes count into separate tables to avoid store-to-load stalls.
                let e = unsafeBitCast(v, to: SIMD8<UInt32>.self) &>> 23 & 0xFF
                e0[Int(e[0])] &+= 1; e0[256 &+ Int(e[1])] &+= 1; e0[512 &+ Int(e[2])] &+= 1; e0[768 &+ Int(e[3])] &+= 1
                e0[Int(e[4])] &+= 1; e0[256 &+ Int(e[5])] &+= 1; e0[512 &+ Int(e[6])] &+= 1; e0[768 &+ Int(e[7])] &+= 1
            }
            var absmax = Self.hmax(vam)
            for i in (vectors * 8)..<n {
                let x = p.loadUnaligned(fromByteOffset: i &* 4, as: Float.self)
                acc.sum += Double(x); acc.sumSquares += Double(x) * Double(x)
                acc.min = Swift.min(acc.min, x); acc.max = Swift.max(acc.max, x)
                if abs(x) < threshold { acc.below += 1 }
                absmax = Swift.max(absmax, abs(x))
                e0[Int((x.bitPattern >> 23) & 0xFF)] &+= 1
            }
            acc.sum += Double(Self.hsum(vsum))
            acc.sumSquares += Double(Self.hsum(vsq))
            acc.min = Swift.min(acc.min, Self.hmin(vmin))
            acc.max = Swift.max(acc.max, Self.hmax(vmax))
            acc.below -= Int(vbelow.wrappedSum())
            acc.int8Error += Self.quantizationError(p, n, absmax: absmax, levels: 127)
        }
        // int4: groups of 32 (four vectors) with their own scale; the tail group is done lane by lane.
        var e4 = V()
        let groups = n / Self.int4GroupSize
        let seven = V(repeating: 7), minusSeven = V(repeating: -7)
        for g in 0..<groups {
            let base = g &* 128
            let a = p.loadUnaligned(fromByteOffset: base, as: V.self), b = p.loadUnaligned(fromByteOffset: base &+ 32, as: V.self)
            let c = p.loadUnaligned(fromByteOffset: base &+ 64, as: V.self), d = p.loadUnaligned(fromByteOffset: base &+ 96, as: V.self)
            let m = Self.hmax(Self.vmax(Self.vmax(Self.vabs(a), Self.vabs(b)), Self.vmax(Self.vabs(c), Self.vabs(d))))
            guard m > 0, m.isFinite else { continue }
            let inv = V(repeating: 7 / m), scale = V(repeating: m / 7)
            @inline(__always) func err(_ v: V) -> V {
                let diff = v - Self.roundNearest((v * inv).clampedFast(minusSeven, seven)) * scale
                return diff * diff
            }
            e4 += (err(a) + err(b)) + (err(c) + err(d))
        }
        acc.int4Error += Double(Self.hsum(e4))
        let tail = groups * Self.int4GroupSize
        if tail < n {
            var m: Float = 0
            for i in tail..<n { m = Swift.max(m, abs(p.loadUnaligned(fromByteOffset: i * 4, as: Float.self))) }
            acc.int4Error += Self.quantizationError(p + tail * 4, n - tail, absmax: m, levels: 7)
        }
    }

    /// Σ (x − q(x))² for symmetric round-to-nearest quantization with scale `absmax / levels`.
    @inline(__always)
    static func quantizationError(_ p: UnsafeRawPointer, _ n: Int, absmax: Float, levels: Float) -> Double {
        guard absmax > 0, absmax.isFinite else { return 0 }
        let scale = absmax / levels, inv = levels / absmax
        let vs = V(repeating: scale), vi = V(repeating: inv)
        let lo = V(repeating: -levels), hi = V(repeating: levels)
        var verr = V()
        let vectors = n / 8
        for i in 0..<vectors {
            let v = p.loadUnaligned(fromByteOffset: i &* 32, as: V.self)
            let q = roundNearest((v * vi).clampedFast(lo, hi)) * vs
            let d = v - q
            verr += d * d
        }
        var err = Double(hsum(verr))
        for i in (vectors * 8)..<n {
            let x = p.loadUnaligned(fromByteOffset: i &* 4, as: Float.self)
            let q = Swift.min(Swift.max((x * inv).rounded(.toNearestOrEven), -levels), levels) * scale
            err += Double((x - q) * (x - q))
        }
        return err
    }
}

extension SIMD8 where Scalar == Float {
    /// Lane-wise clamp into `lo...hi` (always inlined, unlike the generic `clamped`).
    @inline(__always) func clampedFast(_ lo: Self, _ hi: Self) -> Self {
        let a = replacing(with: hi, where: self .> hi)
        return a.replacing(with: lo, where: a .< lo)
    }
}
