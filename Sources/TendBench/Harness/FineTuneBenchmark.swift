import Foundation
import TendCore
import TendEngine
import TendTensor

/// `tend bench finetune`'s harness: training samples/s of a full fine-tuning step (training forward with
/// the config's dropout, backward through every layer, clipping and AdamW) on fixed works, with the
/// process's peak RSS after them.
public enum FineTuneBenchmark {
    public static let b32x64 = EncoderBenchmark.Work(name: "b32x64", batch: 32, length: 64)
    public static let b32x128 = EncoderBenchmark.Work(name: "b32x128", batch: 32, length: 128)

    public struct Timing: Sendable {
        public var samplesPerSecond: Double
        /// Median seconds of one step, and its forward / backward / optimizer parts.
        public var stepSeconds: Double
        public var forwardSeconds: Double
        public var backwardSeconds: Double
        public var optimizerSeconds: Double
        public var steps: Int
        /// Peak resident set (VmHWM) after the work, in bytes.
        public var peakRSS: Int
    }

    /// Times `steps` steps (after one warm-up step) of fine-tuning `encoder` with a 2-class head on `work`.
    public static func time(_ encoder: BertEncoder, dropout: BertDropoutRates, work: EncoderBenchmark.Work,
                            minSteps: Int, seconds: Double) throws -> Timing {
        let training = BertClassifierTraining(encoder: encoder, classes: 2, pooling: .mean, dropout: dropout, seed: 0)
        let optimizer = BertFineTuneOptimizer(training: training, learningRate: 5e-5, weightDecay: 0.01,
                                              schedule: LinearWarmupDecay(warmupSteps: 0, totalSteps: 1_000_000))
        let batch = work.tokens(vocabularySize: encoder.config.vocabularySize)
        let labels = (0..<work.batch).map { $0 % 2 }
        func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }
        var parts: [(Double, Double, Double)] = []
        let start = now()
        var step = 0
        while step <= minSteps || now() - start < seconds {
            let t0 = now()
            try training.forward(batch, labels: labels, training: true)
            let t1 = now()
            training.backward()
            let t2 = now()
            optimizer.step()
            let t3 = now()
            if step > 0 { parts.append((t1 - t0, t2 - t1, t3 - t2)) }  // step 0 grows the buffers
            step += 1
        }
        func median(_ v: [Double]) -> Double { let s = v.sorted(); return s[s.count / 2] }
        let totals = parts.map { $0.0 + $0.1 + $0.2 }
        let stepS = median(totals)
        return Timing(samplesPerSecond: Double(work.batch) / stepS, stepSeconds: stepS,
                      forwardSeconds: median(parts.map(\.0)), backwardSeconds: median(parts.map(\.1)),
                      optimizerSeconds: median(parts.map(\.2)), steps: parts.count, peakRSS: peakResidentBytes())
    }

    /// VmHWM of /proc/self/status in bytes (0 where unavailable).
    public static func peakResidentBytes() -> Int {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kb * 1024
        }
        return 0
    }
}
