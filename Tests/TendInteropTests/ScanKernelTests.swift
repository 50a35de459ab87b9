import Foundation
import Synchronization
import Testing
import TendCore
@testable import TendInterop

/// The CScan kernels (scalar and AVX2) against a straightforward Swift reference: counts, extremes and
/// histogram bins exact; mean/std within 1e-6 relative; quantization errors within 1e-4 relative.
@Suite struct ScanKernelTests {
    struct Reference {
        var count = 0, zeros = 0, below = 0, nonFinite = 0
        var sum = 0.0, squares = 0.0, min = Float.infinity, max = -Float.infinity
        var e8 = 0.0, e4 = 0.0
        var fine = [Int](repeating: 0, count: FineMagnitude.bins)
    }

    static func qerr(_ xs: [Float], levels: Float) -> Double {
        let m = xs.filter(\.isFinite).map(abs).max() ?? 0
        guard m > 0 else { return 0 }
        let inv = levels / m, scale = m / levels
        return xs.filter(\.isFinite).reduce(0) { e, x in
            let d = x - Swift.min(Swift.max(x * inv, -levels), levels).rounded(.toNearestOrEven) * scale
            return e + Double(d * d)
        }
    }

    static func reference(_ values: [Float], rows: Int, tau: Float) -> Reference {
        var r = Reference()
        for x in values {
            r.count += 1
            r.fine[FineMagnitude.bin(x)] += 1
            guard x.isFinite else { r.nonFinite += 1; continue }
            if x == 0 { r.zeros += 1 }
            if abs(x) < tau { r.below += 1 }
            r.sum += Double(x); r.squares += Double(x) * Double(x)
            r.min = Swift.min(r.min, x); r.max = Swift.max(r.max, x)
        }
        let rowLength = values.count / rows
        for row in 0..<rows {
            let xs = Array(values[(row * rowLength)..<((row + 1) * rowLength)])
            r.e8 += qerr(xs, levels: 127)
            for g in stride(from: 0, to: xs.count, by: 32) { r.e4 += qerr(Array(xs[g..<Swift.min(xs.count, g + 32)]), levels: 7) }
        }
        return r
    }

    static func values(_ n: Int, seed: UInt64, specials: Bool) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        var v = (0..<n).map { _ in rng.nextGaussian() * 0.05 }
        if specials {
            let s: [Float] = [.nan, .infinity, -.infinity, -0.0, 0, .leastNonzeroMagnitude, -1e-40, 1e-39, 3e38, -2.5e-4,
                              Float(bitPattern: 0x7FC0_0001), 1e-3, -1e-3]
            for (k, x) in s.enumerated() where k * 7 < n { v[(k * 7919) % n] = x }
        }
        return v
    }

    /// The values as stored in `dtype` and read back as Float (what the kernel sees).
    static func rounded(_ v: [Float], _ dtype: SafetensorsDType) -> [Float] {
        switch dtype {
        case .f16: return v.map { Float(Float16($0)) }
        case .bf16: return v.map { $0.isNaN ? $0 : Float(bitPattern: $0.bitPattern & 0xFFFF_0000) }
        default: return v
        }
    }

    func check(rows: Int, cols: Int, dtype: SafetensorsDType, kernel: ScanKernel, specials: Bool, seed: UInt64) {
        let tau: Float = 1e-3
        let raw = Self.values(rows * cols, seed: seed, specials: specials)
        let stored = Self.rounded(raw, dtype)
        let bytes = InspectTensorStatsTests.bytes(dtype == .bf16 ? stored : raw, as: dtype)
        let info = SafetensorsTensorInfo(name: "w", dtype: dtype, shape: rows == 1 ? [cols] : [rows, cols], byteRange: 0..<bytes.count)
        let s = bytes.withUnsafeBytes { TensorStatsScanner(threshold: tau, kernel: kernel).scan($0, info: info) }
        let r = Self.reference(stored, rows: rows, tau: tau)
        let label = "\(dtype) \(rows)x\(cols) \(kernel) specials=\(specials)"
        #expect(s.fineHistogram == r.fine, "\(label)")
        #expect(s.zeros == r.zeros && s.nonFinite == r.nonFinite, "\(label)")
        #expect(s.sparsity == Double(r.below) / Double(r.count), "\(label)")
        let finite = Double(r.count - r.nonFinite)
        #expect(s.min == Double(r.min) && s.max == Double(r.max), "\(label)")
        let mean = r.sum / finite, std = Swift.max(0, r.squares / finite - mean * mean).squareRoot()
        let scale = Swift.max(abs(mean), std, 1e-30)
        #expect(abs(s.mean - mean) <= 1e-6 * scale, "\(label): mean \(s.mean) vs \(mean)")
        #expect(abs(s.std - std) <= 1e-6 * std, "\(label): std \(s.std) vs \(std)")
        let e8 = r.squares / pow(10, s.int8SQNR / 10), e4 = r.squares / pow(10, s.int4SQNR / 10)
        #expect(abs(e8 - r.e8) <= 1e-4 * r.e8, "\(label): int8 error \(e8) vs \(r.e8)")
        #expect(abs(e4 - r.e4) <= 1e-4 * r.e4, "\(label): int4 error \(e4) vs \(r.e4)")
    }

    static var kernels: [ScanKernel] { ScanKernel.avx2Available ? [.scalar, .avx2] : [.scalar] }

    @Test func kernelsMatchTheReferenceOnOddLengthsAndSpecialValues() {
        for kernel in Self.kernels {
            for dtype in [SafetensorsDType.f32, .f16, .bf16] {
                for (rows, cols) in [(1, 1), (1, 7), (3, 31), (2, 33), (5, 64), (4, 1027), (1, 4099)] {
                    for specials in [false, true] where !(specials && rows * cols < 8) {
                        check(rows: rows, cols: cols, dtype: dtype, kernel: kernel, specials: specials, seed: UInt64(rows * 1000 + cols))
                    }
                }
            }
        }
    }

    @Test func avx2AndScalarCountTheSame() throws {
        guard ScanKernel.avx2Available else { return }
        let values = Self.values(64 * 515, seed: 3, specials: true)
        let bytes = InspectTensorStatsTests.bytes(values, as: .f32)
        let info = SafetensorsTensorInfo(name: "w", dtype: .f32, shape: [64, 515], byteRange: 0..<bytes.count)
        let a = bytes.withUnsafeBytes { TensorStatsScanner(kernel: .scalar).scan($0, info: info) }
        let b = bytes.withUnsafeBytes { TensorStatsScanner(kernel: .avx2).scan($0, info: info) }
        #expect(a.fineHistogram == b.fineHistogram && a.magnitudeHistogram == b.magnitudeHistogram)
        #expect(a.sparsity == b.sparsity && a.zeros == b.zeros && a.nonFinite == b.nonFinite && a.absMax == b.absMax)
    }

    @Test func chunkedScanEqualsOneShotScanAndCountBelowAgrees() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let a = Self.values(300 * 129, seed: 5, specials: true), b = Self.values(5000, seed: 6, specials: false)
        try SafetensorsWriter.write(entries: [
            SafetensorsEntry(name: "a", dtype: .f32, shape: [300, 129], bytes: InspectTensorStatsTests.bytes(a, as: .f32)),
            SafetensorsEntry(name: "ids", dtype: .i32, shape: [2], bytes: InspectTensorStatsTests.bytes([1, 2], as: .i32)),
            SafetensorsEntry(name: "b", dtype: .f16, shape: [5000], bytes: InspectTensorStatsTests.bytes(b, as: .f16)),
        ], to: dir.file("m.safetensors"))
        let f = try SafetensorsFile(path: dir.file("m.safetensors"))
        var small = TensorStatsScanner(threshold: 0.01, threads: 2)
        small.chunkBytes = 1000   // 300 rows of 516 bytes: 300 chunks
        let done = Mutex(0), bytes = Mutex(0)
        let chunked = try small.scan(f, observer: ScanObserver(tensorDone: { _, _ in done.withLock { $0 += 1 } },
                                                               bytesDone: { n in bytes.withLock { $0 += n } }))
        let whole = try TensorStatsScanner(threshold: 0.01, threads: 1).scan(f)
        #expect(chunked.map(\.name) == ["a", "b"])
        #expect(done.withLock { $0 } == 2 && bytes.withLock { $0 } == TensorStatsScanner.scannedBytes(f))
        for (c, w) in zip(chunked, whole) {
            #expect(c.fineHistogram == w.fineHistogram && c.sparsity == w.sparsity && c.min == w.min && c.max == w.max)
            #expect(abs(c.mean - w.mean) <= 1e-12 * abs(w.mean) && abs(c.int8SQNR - w.int8SQNR) < 1e-6 && abs(c.int4SQNR - w.int4SQNR) < 1e-6)
        }
        let below = try small.countBelow(f, tau: 0.01)
        #expect(below[0] == Int((chunked[0].sparsity * Double(a.count)).rounded()))
        #expect(below[2] == Int((chunked[1].sparsity * Double(b.count)).rounded()))
    }
}
