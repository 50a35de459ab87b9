import ArgumentParser
import Foundation
import TendCore
import TendEngine
import TendTensor

/// `tend bench`: performance figures as ratios against references measured in the same run.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Tend's speed against references timed in the same run.",
        subcommands: [BenchTrain.self, BenchUI.self, BenchPrune.self, BenchIO.self, BenchQuantize.self, BenchTriage.self, BenchEncoder.self])
}

/// Like `bestRate`, also returning the best rate per second of process CPU time: on a shared
/// machine the wall-clock rate depends on how much of a core the scheduler grants, the CPU-time
/// rate much less (it still includes threads that spin while waiting).
func bestRates(seconds: Double, repeats: Int = 3, units: Double, warmup: Int = 3, _ body: () -> Void) -> (wall: Double, cpu: Double) {
    for _ in 0..<warmup { body() }
    var best = (wall: 0.0, cpu: 0.0)
    for _ in 0..<repeats {
        let start = SystemClock().monotonic(), cpuStart = processCPUSeconds()
        var n = 0
        var elapsed = 0.0
        repeat { body(); n += 1; elapsed = SystemClock().monotonic() - start } while elapsed < seconds
        let cpu = processCPUSeconds() - cpuStart
        best.wall = max(best.wall, Double(n) * units / elapsed)
        if cpu > 0 { best.cpu = max(best.cpu, Double(n) * units / cpu) }
    }
    return best
}

/// Times `body` repeatedly for about `seconds`, `repeats` times, and returns the best rate of `units` per second.
func bestRate(seconds: Double, repeats: Int = 3, units: Double, warmup: Int = 3, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    var best = 0.0
    for _ in 0..<repeats {
        let start = SystemClock().monotonic()
        var n = 0
        var elapsed = 0.0
        repeat { body(); n += 1; elapsed = SystemClock().monotonic() - start } while elapsed < seconds
        best = max(best, Double(n) * units / elapsed)
    }
    return best
}

struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training samples/s of two MLPs with 1 and 2 threads, against bare cblas_sgemm of the same shapes.",
        discussion: "Each row gives wall-clock figures and the same figures per second of process CPU time (cpu_*), which a busy shared machine disturbs much less.")

    @Option(help: "Seconds per timed repeat.") var seconds = 1.0
    @Flag(help: "Print one JSON object on stdout.") var json = false

    struct Row: Encodable {
        var model: String, batch: Int, threads: Int
        var samples_per_s: Double
        var engine_gflops: Double
        var sgemm_gflops: Double
        var ratio: Double
        /// Per second of process CPU time (all threads).
        var cpu_samples_per_s: Double
        var cpu_ratio: Double
    }

    func run() throws {
        var rows: [Row] = []
        let cases: [(String, [Int], Int)] = [("digits 64-128-128-10", [64, 128, 128, 10], 64),
                                            ("784-1024-1024-10", [784, 1024, 1024, 10], 256)]
        for (name, sizes, batch) in cases {
            for threads in [1, 2] {
                BLAS.setThreads(threads)
                let r = Self.measure(sizes: sizes, batch: batch, seconds: seconds)
                let row = Row(model: name, batch: batch, threads: threads, samples_per_s: r.samplesPerSecond,
                              engine_gflops: r.engineGFLOPS, sgemm_gflops: r.sgemmGFLOPS, ratio: r.engineGFLOPS / r.sgemmGFLOPS,
                              cpu_samples_per_s: r.cpuSamplesPerSecond, cpu_ratio: r.cpuRatio)
                rows.append(row)
                Output.info(String(format: "%-22@ batch %4d  threads %d  %10.0f samples/s  engine %6.1f GFLOPS  bare sgemm %6.1f GFLOPS  ratio %.2f  |  per CPU-s %10.0f samples  ratio %.2f",
                                   name as NSString, batch, threads, row.samples_per_s, row.engine_gflops, row.sgemm_gflops, row.ratio,
                                   row.cpu_samples_per_s, row.cpu_ratio))
            }
        }
        if json { Output.json(["train": rows]) }
    }

    struct Measurement {
        var samplesPerSecond: Double, engineGFLOPS: Double, sgemmGFLOPS: Double
        /// Samples per second of process CPU time, and engine/bare-sgemm on that clock.
        var cpuSamplesPerSecond: Double, cpuRatio: Double
    }

    /// One training step = forward + softmax CE + backward + Adam, on synthetic data, with the
    /// buffers reused from step to step exactly as `Trainer.run` does.
    static func measure(sizes: [Int], batch: Int, seconds: Double) -> Measurement {
        var rng = SeededGenerator(seed: 42)
        let rows = batch * 16
        let x = Tensor(shape: [rows, sizes[0]], storage: (0..<(rows * sizes[0])).map { _ in rng.nextGaussian() })
        let labels = (0..<rows).map { _ in Int(rng.next() % UInt64(sizes.last!)) }
        let data = Dataset(features: x, labels: labels, classes: sizes.last!)
        let model = MLP(layout: MLPLayout(sizes: sizes, activation: .relu, dropout: 0, layerNorm: false), seed: 1)
        let adam = Adam(learningRate: 1e-3)
        var sampler = BatchSampler(batchSize: batch, rng: SeededGenerator(seed: 7))
        var xb = Tensor(shape: [batch, sizes[0]])
        var yb = [Int](repeating: 0, count: batch)
        var grad = Tensor.empty
        sampler.startEpoch(count: rows)
        let step = {
            if !sampler.next(from: data, x: &xb, y: &yb) {
                sampler.startEpoch(count: rows)
                _ = sampler.next(from: data, x: &xb, y: &yb)
            }
            let logits = model.forward(xb, training: true)
            _ = softmaxCrossEntropy(logits: logits, labels: yb, gradInto: &grad)   // reused buffer, as in Trainer
            model.backward(grad)
            adam.step(model.parameters)
        }
        // Flops of the three products per layer (forward, weight grad, input grad; no input grad for layer 1).
        var flops = 0.0
        for l in 0..<(sizes.count - 1) {
            let mac = Double(batch * sizes[l] * sizes[l + 1])
            flops += 2 * mac * (l == 0 ? 2 : 3)
        }
        let steps = bestRates(seconds: seconds, units: 1, step)
        let stepsPerSecond = steps.wall
        // Bare sgemm of the same shapes, same count, preallocated.
        var ws: [Tensor] = [], acts: [Tensor] = [], outs: [Tensor] = [], gws: [Tensor] = [], gin: [Tensor] = []
        for l in 0..<(sizes.count - 1) {
            ws.append(Tensor(shape: [sizes[l + 1], sizes[l]], repeating: 0.01))
            acts.append(Tensor(shape: [batch, sizes[l]], repeating: 0.5))
            outs.append(Tensor(shape: [batch, sizes[l + 1]], repeating: 0))
            gws.append(Tensor(shape: [sizes[l + 1], sizes[l]], repeating: 0))
            gin.append(Tensor(shape: [batch, sizes[l]], repeating: 0))
        }
        let bare = {
            for l in 0..<ws.count { gemm(acts[l], ws[l], into: &outs[l], transposeB: true) }
            for l in stride(from: ws.count - 1, through: 0, by: -1) {
                gemm(outs[l], acts[l], into: &gws[l], transposeA: true)
                if l > 0 { gemm(outs[l], ws[l], into: &gin[l]) }
            }
        }
        let bareRates = bestRates(seconds: seconds, units: 1, bare)
        return Measurement(samplesPerSecond: stepsPerSecond * Double(batch),
                           engineGFLOPS: stepsPerSecond * flops / 1e9, sgemmGFLOPS: bareRates.wall * flops / 1e9,
                           cpuSamplesPerSecond: steps.cpu * Double(batch), cpuRatio: steps.cpu / bareRates.cpu)
    }
}
