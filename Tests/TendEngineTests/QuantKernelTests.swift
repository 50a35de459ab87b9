import CInt8
import Testing
import TendCore
import TendTensor
@testable import TendEngine

@Suite struct QuantKernelTests {
    /// Naive int32 reference: C[m][n] = Σ_k A[m][k]·B[n][k].
    static func reference(m: Int, n: Int, k: Int, a: [UInt8], b: [Int8]) -> [Int32] {
        var c = [Int32](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { var s: Int32 = 0; for t in 0..<k { s += Int32(a[i * k + t]) * Int32(b[j * k + t]) }; c[i * n + j] = s } }
        return c
    }

    @Test func everyAvailableVariantEqualsTheNaiveReferenceBitForBit() {
        var rng = SeededGenerator(seed: 11)
        let shapes: [(Int, Int, Int)] = [(1, 1, 1), (3, 17, 5), (7, 33, 31), (64, 65, 33), (5, 9, 64), (4, 3, 100),
                                         (1, 24, 784), (9, 10, 1), (8, 8, 95), (13, 7, 257), (8, 80, 20), (2, 41, 6)]
        #expect(Int8Kernel.available.contains(.scalar))
        for (m, n, k) in shapes {
            // Extremes included: codes 0 and 127, weights −128 and 127 (the saturation corner of vpmaddubsw).
            let a = (0..<(m * k)).map { i in i % 11 == 0 ? UInt8(127) : UInt8(rng.next() % 128) }
            let b = (0..<(n * k)).map { i in i % 7 == 0 ? Int8(-128) : (i % 13 == 0 ? Int8(127) : Int8(truncatingIfNeeded: rng.next())) }
            let want = Self.reference(m: m, n: n, k: k, a: a, b: b)
            for variant in Int8Kernel.available {
                #expect(variant.gemm(m: m, n: n, k: k, a: a, b: b) == want, "\(variant) \(m)×\(n)×\(k)")
            }
        }
    }

    @Test func threadedProductEqualsTheScalarKernel() {
        var rng = SeededGenerator(seed: 12)
        let (m, n, k) = (128, 200, 700)
        let a = (0..<(m * k)).map { _ in UInt8(rng.next() % 128) }
        let b = (0..<(n * k)).map { _ in Int8(truncatingIfNeeded: rng.next()) }
        let want = Int8Kernel.scalar.gemm(m: m, n: n, k: k, a: a, b: b)
        let packed = b.withUnsafeBufferPointer { Int8Kernel.pack(n: n, k: k, b: $0.baseAddress!, ldb: k) }
        var got = [Int32](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { pa in packed.withUnsafeBufferPointer { pb in got.withUnsafeMutableBufferPointer { pc in
            Int8Kernel.parallelGEMM(m: m, n: n, k: k, a: pa.baseAddress!, lda: k, packed: pb.baseAddress!, c: pc.baseAddress!, ldc: n, threads: 2)
        } } }
        #expect(got == want)
    }

    @Test func worstCaseCodesDoNotSaturate() {
        let k = 64
        let a = [UInt8](repeating: 127, count: k), b = [Int8](repeating: -128, count: k)
        for variant in Int8Kernel.available {
            #expect(variant.gemm(m: 1, n: 1, k: k, a: a, b: b) == [Int32(-127 * 128 * k)], "\(variant)")
        }
    }

    @Test func everyVariantEqualsTheReferenceOnBlockRemainders() {
        // Rows 1…9 around the 4-row block, outputs around the 16- and 24-output blocks (odd panel counts,
        // partial last panel), K around the 4-byte group: every tail path of every variant.
        var rng = SeededGenerator(seed: 13)
        for m in [1, 3, 4, 5, 8, 9] {
            for n in [7, 8, 15, 16, 17, 23, 24, 25, 40, 41] {
                for k in [1, 3, 4, 5, 130] {
                    let a = (0..<(m * k)).map { _ in UInt8(rng.next() % 128) }
                    let b = (0..<(n * k)).map { _ in Int8(truncatingIfNeeded: rng.next()) }
                    let want = Self.reference(m: m, n: n, k: k, a: a, b: b)
                    for variant in Int8Kernel.available {
                        #expect(variant.gemm(m: m, n: n, k: k, a: a, b: b) == want, "\(variant) \(m)×\(n)×\(k)")
                    }
                }
            }
        }
    }

    /// Product then requantization, as two separate single-threaded passes (the reference for the fused path).
    static func twoPasses(_ v: Int8Kernel, m: Int, n: Int, k: Int, a: [UInt8], packed: [Int8], rowSum: [Int32], e: cint8_epilogue,
                          invScale: Float, zero: Int32, ldq: Int) -> (codes: [UInt8], sums: [Int32]) {
        var c = [Int32](repeating: 0, count: m * n)
        var q = [UInt8](repeating: 99, count: m * ldq), sums = [Int32](repeating: -1, count: m)
        cint8_gemm_u7s8(v.c, Int32(m), Int32(n), Int32(k), a, Int32(k), packed, &c, Int32(n))
        cint8_requantize_u7(v.c, Int32(m), Int32(n), c, Int32(n), rowSum, e, 1, invScale, zero, &q, Int32(ldq), &sums)
        return (q, sums)
    }

    @Test func fusedProductAndRequantizationEqualsTheTwoPassesWithEveryVariantAndThreadCount() {
        var rng = SeededGenerator(seed: 14)
        // The last shape is large enough (≥ 2^24 MACs, ≥ 12 panels) to be split over threads.
        for (m, n, k) in [(1, 5, 3), (7, 41, 33), (9, 130, 77), (64, 203, 1300)] {
            let ldq = (n + 31) / 32 * 32
            let a = (0..<(m * k)).map { _ in UInt8(rng.next() % 128) }
            let b = (0..<(n * k)).map { _ in Int8(truncatingIfNeeded: rng.next()) }
            let packed = b.withUnsafeBufferPointer { Int8Kernel.pack(n: n, k: k, b: $0.baseAddress!, ldb: k) }
            let rowSum = (0..<m).map { i in a[(i * k)..<((i + 1) * k)].reduce(Int32(0)) { $0 + Int32($1) } }
            let offset = (0..<n).map { _ in Int32(Int(rng.next() % 20001) - 10000) }
            let wz = (0..<n).map { _ in Int32(Int(rng.next() % 21) - 10) }
            let scale = (0..<n).map { _ in Float(rng.nextGaussian().magnitude * 1e-4 + 1e-6) }
            let bias = (0..<n).map { _ in rng.nextGaussian() * 0.1 }
            for zeros in [false, true] {
                offset.withUnsafeBufferPointer { off in wz.withUnsafeBufferPointer { z in scale.withUnsafeBufferPointer { sc in
                    bias.withUnsafeBufferPointer { bi in
                        let e = cint8_epilogue(col_offset: off.baseAddress, weight_zero: zeros ? z.baseAddress : nil,
                                               col_scale: sc.baseAddress, bias: bi.baseAddress)
                        let want = Self.twoPasses(.scalar, m: m, n: n, k: k, a: a, packed: packed, rowSum: rowSum, e: e,
                                                  invScale: 4, zero: 3, ldq: ldq)
                        #expect(Set(want.codes).count > 3, "codes spread over several values")
                        for variant in Int8Kernel.available {
                            for threads in [1, 2, 3] {
                                var c = [Int32](repeating: 0, count: m * n)
                                var q = [UInt8](repeating: 99, count: m * ldq), sums = [Int32](repeating: -1, count: m)
                                cint8_gemm_requantize_u7(variant.c, Int32(m), Int32(n), Int32(k), a, Int32(k), packed, &c, Int32(n),
                                                         rowSum, e, 1, 4, 3, &q, Int32(ldq), &sums, Int32(threads))
                                #expect(q == want.codes, "\(variant) \(threads) threads \(m)×\(n)×\(k) zero-points \(zeros)")
                                #expect(sums == want.sums, "\(variant) \(threads) threads \(m)×\(n)×\(k) row sums")
                            }
                        }
                    }
                } } }
            }
        }
    }

    @Test func peakProbesMeasurePositiveRatesForEveryVariant() {
        for variant in Int8Kernel.available {
            let r = variant.peakRates(seconds: 0.01)
            #expect(r.int8 > 1e6 && r.int8.isFinite, "\(variant) int8 \(r.int8)")
            #expect(r.fp32 > 1e6 && r.fp32.isFinite, "\(variant) fp32 \(r.fp32)")
        }
    }

    @Test func thisMachineSelectsItsBestVariant() {
        #expect(Int8Kernel.best.isAvailable)
        #expect(Int8Kernel.available.last == Int8Kernel.best)
    }

    @Test func quantizedMLPGivesTheSameLogitsWithEveryVariant() throws {
        var rng = SeededGenerator(seed: 3)
        let model = try MLP(layout: MLPLayout(sizes: [37, 50, 29, 5]), seed: 9)
        let x = Tensor(shape: [6, 37], storage: (0..<(6 * 37)).map { _ in rng.nextGaussian() })
        for affine in [false, true] {
            let q = QuantizedModel(model: model, calibration: x, config: QuantizationConfig(perChannel: true, symmetric: !affine))
            q.kernel = .scalar
            let want = q.predict(x)
            for variant in Int8Kernel.available {
                q.kernel = variant
                #expect(q.predict(x) == want, "\(variant) affine \(affine)")
                #expect(q.predict(x.sliceRows(0..<1)).storage == Array(want.storage[0..<5]), "\(variant) batch 1")
            }
        }
    }

    @Test func int8LogitsMatchTheDequantizedReferenceClosely() throws {
        var rng = SeededGenerator(seed: 5)
        let model = try MLP(layout: MLPLayout(sizes: [20, 64, 10]), seed: 2)
        let x = Tensor(shape: [32, 20], storage: (0..<(32 * 20)).map { _ in rng.nextGaussian() })
        let q = QuantizedModel(model: model, calibration: x)
        let exact = model.predict(x)
        let got = q.predict(x)
        let err = QuantizationError.measure(original: exact.storage, reconstructed: got.storage)
        #expect(err.sqnrDB > 25, "logit SQNR \(err.sqnrDB) dB")
    }
}
