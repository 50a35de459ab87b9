#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import TendCore
import TendEngine
import TendTensor

/// Seconds of CPU time of the whole process (all threads).
func processCPUTime() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// `tend bench encoder`'s harness: median latency of forward + mean pooling on fixed works, and the GFLOPS
/// bare sgemm reaches on the same layer shapes in the same run (the ceiling the encoder's products have).
public enum EncoderBenchmark {
    /// A fixed work: `batch` sequences of `length` tokens, ids random in 1000..<29000 with [CLS]/[SEP] at the
    /// ends, mask all ones.
    public struct Work: Sendable {
        public var name: String
        public var batch: Int
        public var length: Int
        public init(name: String, batch: Int, length: Int) { self.name = name; self.batch = batch; self.length = length }
        public static let b1x22 = Work(name: "b1x22", batch: 1, length: 22)
        public static let b32x128 = Work(name: "b32x128", batch: 32, length: 128)

        public func tokens(classID: Int32 = 101, separatorID: Int32 = 102, vocabularySize: Int, seed: UInt64 = 7) -> EncoderBatch {
            var rng = SeededGenerator(seed: seed)
            let hi = Int32(min(29000, vocabularySize))
            var ids = [Int32](repeating: 0, count: batch * length)
            for b in 0..<batch {
                for p in 0..<length { ids[b * length + p] = Int32.random(in: min(1000, hi - 1)..<hi, using: &rng) }
                ids[b * length] = classID
                ids[b * length + length - 1] = separatorID
            }
            return EncoderBatch(batch: batch, length: length, ids: ids)
        }
    }

    public struct Timing: Sendable {
        public var work: String
        /// Median wall time of one forward + pooling, milliseconds.
        public var medianMS: Double
        public var minMS: Double
        public var runs: Int
        /// Median process CPU time of one run, milliseconds (all threads; a busy machine inflates it much less than wall time).
        public var cpuMS: Double
        /// Useful floating-point operations per second at the median (2 per multiply-add).
        public var gflops: Double
    }

    /// Multiply-adds of one forward pass over `batch` sequences of `length` real tokens.
    public static func multiplyAdds(_ c: BertConfig, batch: Int, length: Int) -> Double {
        let t = Double(batch * length), h = Double(c.hiddenSize), i = Double(c.intermediateSize)
        let linear = t * (4 * h * h + 2 * h * i)
        let attention = 2 * Double(batch) * Double(length * length) * h
        return Double(c.layers) * (linear + attention)
    }

    /// Times `encoder.encode` (mean pooling) on `work`: `warmup` untimed runs, then runs until both
    /// `minRuns` runs and `seconds` have passed (at most `maxRuns`).
    public static func time(_ encoder: BertEncoder, work: Work, minRuns: Int = 5, maxRuns: Int = 1000,
                            seconds: Double = 2, warmup: Int = 2) throws -> Timing {
        let batch = work.tokens(vocabularySize: encoder.config.vocabularySize)
        let saved = (encoder.pooling, encoder.normalize)
        encoder.pooling = .mean
        encoder.normalize = false
        defer { (encoder.pooling, encoder.normalize) = saved }
        var out = Tensor.empty
        for _ in 0..<warmup { try encoder.encode(batch, into: &out) }
        let clock = SystemClock()
        var samples: [Double] = [], cpu: [Double] = []
        let start = clock.monotonic()
        while samples.count < maxRuns && (samples.count < minRuns || clock.monotonic() - start < seconds) {
            let t0 = clock.monotonic(), c0 = processCPUTime()
            try encoder.encode(batch, into: &out)
            samples.append(clock.monotonic() - t0)
            cpu.append(processCPUTime() - c0)
        }
        samples.sort()
        cpu.sort()
        let median = samples[samples.count / 2]
        return Timing(work: work.name, medianMS: median * 1e3, minMS: samples[0] * 1e3, runs: samples.count, cpuMS: cpu[cpu.count / 2] * 1e3,
                      gflops: 2 * multiplyAdds(encoder.config, batch: work.batch, length: work.length) / median / 1e9)
    }

    /// One layer product shape: [rows, inputs] × [outputs, inputs]ᵀ.
    public struct ProductShape: Sendable {
        public var name: String
        public var rows: Int, inputs: Int, outputs: Int
    }

    /// The four products of an encoder layer at `rows` tokens.
    public static func layerShapes(_ c: BertConfig, rows: Int) -> [ProductShape] {
        let h = c.hiddenSize, i = c.intermediateSize
        return [ProductShape(name: "qkv", rows: rows, inputs: h, outputs: 3 * h),
                ProductShape(name: "attention_output", rows: rows, inputs: h, outputs: h),
                ProductShape(name: "intermediate", rows: rows, inputs: h, outputs: i),
                ProductShape(name: "output", rows: rows, inputs: i, outputs: h)]
    }

    /// GFLOPS of bare `gemm` (the same call the encoder makes) on `shape`, best of `repeats` timed bursts.
    public static func sgemmGFLOPS(_ shape: ProductShape, seconds: Double = 0.3, repeats: Int = 3) -> Double {
        var rng = SeededGenerator(seed: 3)
        let a = Tensor(shape: Shape([shape.rows, shape.inputs]), storage: (0..<(shape.rows * shape.inputs)).map { _ in Float.random(in: -1...1, using: &rng) })
        let w = Tensor(shape: Shape([shape.outputs, shape.inputs]), storage: (0..<(shape.outputs * shape.inputs)).map { _ in Float.random(in: -1...1, using: &rng) })
        var c = Tensor(shape: Shape([shape.rows, shape.outputs]))
        for _ in 0..<2 { gemm(a, w, into: &c, transposeB: true) }
        let clock = SystemClock()
        var best = 0.0
        for _ in 0..<repeats {
            var n = 0
            let t0 = clock.monotonic()
            var elapsed = 0.0
            repeat { gemm(a, w, into: &c, transposeB: true); n += 1; elapsed = clock.monotonic() - t0 } while elapsed < seconds
            best = max(best, 2 * Double(n) * Double(shape.rows * shape.inputs * shape.outputs) / elapsed / 1e9)
        }
        return best
    }
}
