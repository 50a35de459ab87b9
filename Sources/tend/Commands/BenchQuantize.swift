import ArgumentParser
import Foundation
import TendCore
import TendEngine
import TendTensor

/// `tend bench quantize`: int8 inference (CInt8 kernels) against fp32 `MLP.predict` (OpenBLAS), same run.
struct BenchQuantize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "int8 vs fp32 inference of 784-1024-1024-10 and the digits MLP at batch 1 and 256 (µs per batch, rows/s, speed-up).")

    @Option(help: "Seconds per timed repeat.") var seconds = 1.0
    @Option(help: "Threads for both paths (OpenBLAS and the int8 product).") var threads = 2
    @Flag(help: "Print one JSON object on stdout.") var json = false

    struct Row: Encodable {
        var model: String, batch: Int, threads: Int, kernel: String
        var fp32_us_per_batch: Double, int8_us_per_batch: Double
        var fp32_rows_per_s: Double, int8_rows_per_s: Double
        var speedup: Double
        var logit_sqnr_db: Double
    }

    func run() throws {
        try reportingErrors {
            BLAS.setThreads(threads)
            var rows: [Row] = []
            let cases: [(String, [Int])] = [("784-1024-1024-10", [784, 1024, 1024, 10]), ("digits 64-128-128-10", [64, 128, 128, 10])]
            for (name, sizes) in cases {
                let model = MLP(layout: MLPLayout(sizes: sizes, activation: .relu), seed: 1)
                var rng = SeededGenerator(seed: 5)
                let calibration = Tensor(shape: [256, sizes[0]], storage: (0..<(256 * sizes[0])).map { _ in rng.nextGaussian() })
                let q = QuantizedMLP(model: model, calibration: calibration, config: QuantizationConfig(threads: threads))
                for batch in [1, 256] {
                    let x = calibration.sliceRows(0..<batch)
                    let fp32 = bestRate(seconds: seconds, units: 1) { _ = model.predict(x) }
                    let int8 = bestRate(seconds: seconds, units: 1) { _ = q.predict(x) }
                    let err = QuantizationError.measure(original: model.predict(x).storage, reconstructed: q.predict(x).storage)
                    let row = Row(model: name, batch: batch, threads: threads, kernel: q.kernel.description,
                                  fp32_us_per_batch: 1e6 / fp32, int8_us_per_batch: 1e6 / int8,
                                  fp32_rows_per_s: fp32 * Double(batch), int8_rows_per_s: int8 * Double(batch),
                                  speedup: int8 / fp32, logit_sqnr_db: err.sqnrDB)
                    rows.append(row)
                    Output.info(String(format: "%-21@ batch %3d  fp32 %9.1f µs (%9.0f rows/s)  int8[%@] %9.1f µs (%9.0f rows/s)  speed-up %.2fx  logit SQNR %.1f dB",
                                       name as NSString, batch, row.fp32_us_per_batch, row.fp32_rows_per_s, row.kernel as NSString,
                                       row.int8_us_per_batch, row.int8_rows_per_s, row.speedup, row.logit_sqnr_db))
                }
            }
            if json { Output.json(["quantize": rows]) }
        }
    }
}
