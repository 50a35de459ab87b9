import ArgumentParser
import Foundation
import TendRuntime
import TendCore
import TendEngine
import TendTensor

/// `tend bench quantize`: int8 inference (CInt8 kernels) against fp32 `Model.predict` (OpenBLAS), same run,
/// plus the products alone (int8 kernel vs `cblas_sgemm`, same shapes and threads) and a peak probe
/// (register-only int8 multiply-accumulate loop vs fp32 FMA loop) that says which ratio this CPU allows.
public struct BenchQuantize: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "int8 vs fp32 inference of 784-1024-1024-10 and the digits MLP at batch 1 and 256 (µs per batch, rows/s, speed-up), the products alone, and the CPU's peak int8/fp32 MAC ratio.")

    @Option(help: "Seconds per timed repeat.") var seconds = 1.0
    @Option(help: "Timed repeats; fp32 and int8 alternate, the best of each counts.") var repeats = 3
    @Option(help: "Threads for both paths (OpenBLAS and the int8 product).") var threads = 2
    @Flag(help: "Print one JSON object on stdout.") var json = false

    struct Row: Encodable {
        var model: String, batch: Int, threads: Int, kernel: String
        var fp32_us_per_batch: Double, int8_us_per_batch: Double
        var fp32_rows_per_s: Double, int8_rows_per_s: Double
        var speedup: Double
        var logit_sqnr_db: Double
        /// fp32 batch-1 time with the skinny (sgemv) path off, i.e. through sgemm as before it existed.
        var fp32_sgemm_us_per_batch: Double?
    }

    /// The Dense products of one forward pass alone: int8 kernel (codes already quantized) vs sgemm.
    /// `*_us` are wall time with `threads` threads; `cpu1_*` are one thread's CPU time (best of the
    /// repeats), which time-slicing on a busy machine does not inflate.
    struct Products: Encodable {
        var model: String, batch: Int, threads: Int, kernel: String
        var fp32_us: Double, int8_us: Double
        var fp32_gmacs: Double, int8_gmacs: Double
        var speedup: Double
        var cpu1_fp32_us: Double, cpu1_int8_us: Double
        var cpu1_fp32_gmacs: Double, cpu1_int8_gmacs: Double
        var cpu1_speedup: Double
    }

    /// Register-only peak rates (giga multiply-accumulates per second of one thread's CPU time).
    struct Peak: Encodable {
        var kernel: String
        var int8_instructions: String, fp32_instructions: String
        var int8_gmacs: Double, fp32_gmacs: Double
        /// int8 / fp32: the best speed-up of int8 products over fp32 ones these instructions allow.
        var ratio: Double
    }

    struct Report: Encodable {
        var quantize: [Row]
        var products: [Products]
        var peak: Peak
    }

    public func run() throws {
        try reportingErrors {
            BLAS.setThreads(threads)
            let kernel = Int8Kernel.best
            let peak = measurePeak(kernel)
            Output.info(String(format: "peak (1 thread, register-only): int8 %.1f GMAC/s [%@]  fp32 %.1f GMAC/s [%@]  attainable int8/fp32 %.2fx",
                               peak.int8_gmacs, peak.int8_instructions as NSString, peak.fp32_gmacs,
                               peak.fp32_instructions as NSString, peak.ratio))
            var rows: [Row] = []
            var products: [Products] = []
            let cases: [(String, [Int])] = [("784-1024-1024-10", [784, 1024, 1024, 10]), ("digits 64-128-128-10", [64, 128, 128, 10])]
            for (name, sizes) in cases {
                let model = try Architecture.mlp(MLPLayout(sizes: sizes, activation: .relu)).makeModel(seed: 1)
                var rng = SeededGenerator(seed: 5)
                let calibration = Tensor(shape: [256, sizes[0]], storage: (0..<(256 * sizes[0])).map { _ in rng.nextGaussian() })
                let q = QuantizedModel(model: model, calibration: calibration, config: QuantizationConfig(threads: threads))
                for batch in [1, 256] {
                    let x = calibration.sliceRows(0..<batch)
                    let (fp32, int8) = alternatingBestRates { _ = model.predict(x) } _: { _ = q.predict(x) }
                    let err = QuantizationError.measure(original: model.predict(x).storage, reconstructed: q.predict(x).storage)
                    var viaSGEMM: Double? = nil
                    if batch <= BLAS.skinnyRowLimit {
                        let limit = BLAS.skinnyRowLimit
                        BLAS.skinnyRowLimit = 0
                        viaSGEMM = 1e6 / bestRate(seconds: seconds, repeats: max(1, repeats), units: 1) { _ = model.predict(x) }
                        BLAS.skinnyRowLimit = limit
                    }
                    let row = Row(model: name, batch: batch, threads: threads, kernel: q.kernel.description,
                                  fp32_us_per_batch: 1e6 / fp32, int8_us_per_batch: 1e6 / int8,
                                  fp32_rows_per_s: fp32 * Double(batch), int8_rows_per_s: int8 * Double(batch),
                                  speedup: int8 / fp32, logit_sqnr_db: err.sqnrDB, fp32_sgemm_us_per_batch: viaSGEMM)
                    rows.append(row)
                    if let viaSGEMM {
                        Output.info(String(format: "%-21@ batch %3d  fp32 through sgemm (skinny path off) %9.1f µs; with sgemv %9.1f µs (%.2fx)",
                                           name as NSString, batch, viaSGEMM, row.fp32_us_per_batch, viaSGEMM / row.fp32_us_per_batch))
                    }
                    Output.info(String(format: "%-21@ batch %3d  fp32 %9.1f µs (%9.0f rows/s)  int8[%@] %9.1f µs (%9.0f rows/s)  speed-up %.2fx  logit SQNR %.1f dB",
                                       name as NSString, batch, row.fp32_us_per_batch, row.fp32_rows_per_s, row.kernel as NSString,
                                       row.int8_us_per_batch, row.int8_rows_per_s, row.speedup, row.logit_sqnr_db))
                }
                let p = measureProducts(name: name, sizes: sizes, batch: 256, kernel: kernel)
                products.append(p)
                Output.info(String(format: "%-21@ batch %3d  products only: sgemm %9.1f µs (%5.1f GMAC/s)  int8[%@] %9.1f µs (%5.1f GMAC/s)  speed-up %.2fx",
                                   name as NSString, p.batch, p.fp32_us, p.fp32_gmacs, p.kernel as NSString, p.int8_us, p.int8_gmacs, p.speedup))
                Output.info(String(format: "%-21@ batch %3d  products, 1 thread CPU time: sgemm %9.1f µs (%5.1f GMAC/s)  int8 %9.1f µs (%5.1f GMAC/s)  speed-up %.2fx (register-only peak ratio %.2fx)",
                                   name as NSString, p.batch, p.cpu1_fp32_us, p.cpu1_fp32_gmacs, p.cpu1_int8_us, p.cpu1_int8_gmacs,
                                   p.cpu1_speedup, peak.ratio))
            }
            if json { Output.json(Report(quantize: rows, products: products, peak: peak)) }
        }
    }

    /// Best rates (calls per second) of `a` and `b`, timed in alternating slices of `seconds` so that
    /// load from other processes hits both alike.
    private func alternatingBestRates(_ a: () -> Void, _ b: () -> Void) -> (Double, Double) {
        var bestA = 0.0, bestB = 0.0
        for r in 0..<max(1, repeats) {
            bestA = max(bestA, bestRate(seconds: seconds, repeats: 1, units: 1, warmup: r == 0 ? 3 : 1, a))
            bestB = max(bestB, bestRate(seconds: seconds, repeats: 1, units: 1, warmup: r == 0 ? 3 : 1, b))
        }
        return (bestA, bestB)
    }

    private func measurePeak(_ kernel: Int8Kernel) -> Peak {
        var int8 = 0.0, fp32 = 0.0
        let slice = max(0.05, min(0.5, seconds / 4))
        for _ in 0..<max(1, repeats) {
            let r = kernel.peakRates(seconds: slice)
            int8 = max(int8, r.int8); fp32 = max(fp32, r.fp32)
        }
        let names = kernel.peakInstructions
        return Peak(kernel: kernel.description, int8_instructions: names.int8, fp32_instructions: names.fp32,
                    int8_gmacs: int8 / 1e9, fp32_gmacs: fp32 / 1e9, ratio: int8 / fp32)
    }

    /// The Dense products of `sizes` at `batch` rows: int8 codes × packed int8 weights (best variant,
    /// `threads` threads) vs `cblas_sgemm` on fp32 values of the same shapes.
    private func measureProducts(name: String, sizes: [Int], batch: Int, kernel: Int8Kernel) -> Products {
        var rng = SeededGenerator(seed: 17)
        var codes: [[UInt8]] = [], packed: [[Int8]] = [], outs: [[Int32]] = []
        var acts: [Tensor] = [], weights: [Tensor] = [], results: [Tensor] = []
        var macs = 0.0
        for l in 0..<(sizes.count - 1) {
            let (k, n) = (sizes[l], sizes[l + 1])
            codes.append((0..<(batch * k)).map { _ in UInt8(rng.next() % 128) })
            let w = (0..<(n * k)).map { _ in Int8(truncatingIfNeeded: rng.next()) }
            packed.append(w.withUnsafeBufferPointer { Int8Kernel.pack(n: n, k: k, b: $0.baseAddress!, ldb: k) })
            outs.append([Int32](repeating: 0, count: batch * n))
            acts.append(Tensor(shape: [batch, k], storage: (0..<(batch * k)).map { _ in rng.nextGaussian() }))
            weights.append(Tensor(shape: [n, k], storage: (0..<(n * k)).map { _ in rng.nextGaussian() }))
            results.append(Tensor(shape: [batch, n]))
            macs += Double(batch * k * n)
        }
        let fp32Products = {
            for l in 0..<weights.count { gemm(acts[l], weights[l], into: &results[l], transposeB: true) }
        }
        let int8Products = { (threads: Int) in
            for l in 0..<packed.count {
                let (k, n) = (sizes[l], sizes[l + 1])
                codes[l].withUnsafeBufferPointer { a in
                    packed[l].withUnsafeBufferPointer { b in
                        outs[l].withUnsafeMutableBufferPointer { c in
                            Int8Kernel.parallelGEMM(m: batch, n: n, k: k, a: a.baseAddress!, lda: k, packed: b.baseAddress!,
                                                    c: c.baseAddress!, ldc: n, threads: threads)
                        }
                    }
                }
            }
        }
        let (fp32, int8) = alternatingBestRates(fp32Products, { int8Products(threads) })
        // One thread, CPU time: the kernels' own speed, whatever else the machine runs.
        BLAS.setThreads(1)
        var cpuFP32 = Double.infinity, cpuInt8 = Double.infinity
        let calls = 5
        for _ in 0..<max(2, 2 * repeats) {
            cpuFP32 = min(cpuFP32, threadCPUSeconds { for _ in 0..<calls { fp32Products() } } / Double(calls))
            cpuInt8 = min(cpuInt8, threadCPUSeconds { for _ in 0..<calls { int8Products(1) } } / Double(calls))
        }
        BLAS.setThreads(threads)
        return Products(model: name, batch: batch, threads: threads, kernel: kernel.description,
                        fp32_us: 1e6 / fp32, int8_us: 1e6 / int8, fp32_gmacs: fp32 * macs / 1e9, int8_gmacs: int8 * macs / 1e9,
                        speedup: int8 / fp32,
                        cpu1_fp32_us: cpuFP32 * 1e6, cpu1_int8_us: cpuInt8 * 1e6,
                        cpu1_fp32_gmacs: macs / cpuFP32 / 1e9, cpu1_int8_gmacs: macs / cpuInt8 / 1e9,
                        cpu1_speedup: cpuFP32 / cpuInt8)
    }
}
