#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TendCore
import TendMetrics

/// A made-up but plausible training run, recorded through a real `MetricsStore` on a `ManualClock`, so the
/// dashboard can be rendered without an engine: for snapshot tests and `tend bench ui`. Deterministic for a
/// given seed. Nothing here is shown to a user as a measurement.
public enum SyntheticRun {
    /// Unix time the synthetic run starts at (2026-01-01 00:00:00 UTC).
    public static let startTime = 1_767_225_600.0

    /// Records `steps` optimizer steps (an epoch every `stepsPerEpoch`), process samples, layer stats, events and
    /// `requests` inference latencies into a store with `seriesCapacity` points per series, and returns its snapshot.
    public static func snapshot(steps: Int = 600, stepsPerEpoch: Int = 60, requests: Int = 1500,
                                seriesCapacity: Int = 256, seed: UInt64 = 42) -> MetricsSnapshot {
        let feed = Feed(stepsPerEpoch: stepsPerEpoch, seriesCapacity: seriesCapacity, seed: seed, plannedSteps: steps)
        feed.advance(steps: max(1, steps))
        feed.serve(requests: requests, over: 30)
        return feed.store.snapshot()
    }

    /// A synthetic run that keeps going: each `advance` records more steps into `store` (on a `ManualClock`),
    /// so a benchmark can draw frame after frame of a run that changes like a live one.
    public final class Feed {
        public let store: MetricsStore
        public let clock: ManualClock
        public let stepsPerEpoch: Int
        /// Steps recorded so far.
        public private(set) var step = 0
        private var rng: SeededGenerator
        private var cpuSeconds = 0.0
        private let processStart: Double

        /// A store with the run's layers and model sizes; `plannedSteps` × 2 is the run's total.
        public init(stepsPerEpoch: Int = 60, seriesCapacity: Int = 256, seed: UInt64 = 42, plannedSteps: Int = 600) {
            clock = ManualClock(SyntheticRun.startTime)
            store = MetricsStore(clock: clock, seriesCapacity: seriesCapacity, runName: "digits-mlp")
            rng = SeededGenerator(seed: seed)
            self.stepsPerEpoch = max(1, stepsPerEpoch)
            store.updateRun { $0.state = .training; $0.totalSteps = plannedSteps * 2 }
            store.log(EngineEvent(wallTime: clock.now(), message: "training digits-mlp on Samples/digits.csv (1,437 rows)"))
            store.setLayers([
                LayerStat(name: "dense1", shape: [64, 128], parameters: 8320, sparsity: 0.42, bitsPerWeight: 8, sqnrDB: 38.2),
                LayerStat(name: "dense2", shape: [128, 64], parameters: 8256, sparsity: 0.37, bitsPerWeight: 8, sqnrDB: 36.9),
                LayerStat(name: "head", shape: [64, 10], parameters: 650, sparsity: 0, bitsPerWeight: 32, sqnrDB: nil),
            ])
            store.set(.modelBytesDense, 17_226 * 4)
            store.set(.modelBytesStored, 8320 * 0.58 + 8256 * 0.63 + 650 * 4)
            processStart = clock.monotonic()
        }

        private func noise(_ scale: Double) -> Double { Double(rng.nextGaussian()) * scale }

        /// Records `steps` more optimizer steps, 50 ms apart: loss, accuracy, progress, a process sample every 20
        /// steps, validation metrics and events at the end of each epoch.
        public func advance(steps: Int) {
            for _ in 0..<max(0, steps) {
                step += 1
                let step = self.step
                clock.advance(by: 0.05)
                let epoch = (step - 1) / stepsPerEpoch
                let s = Double(step)
                let loss = 2.3 * exp(-s / 150) + 0.12 + noise(0.05) * exp(-s / 400)
                let acc = min(1, max(0, 0.98 - 0.88 * exp(-s / 120) + noise(0.02)))
                store.record(.trainLoss, step: step, epoch: epoch, wallTime: clock.now(), value: max(0.01, loss))
                store.record(.trainAccuracy, step: step, epoch: epoch, wallTime: clock.now(), value: acc)
                store.recordProgress(step: step, epoch: epoch, samples: 64)
                if step % 20 == 0 {
                    cpuSeconds += 0.95 + noise(0.05)
                    let rss = UInt64(48_000_000 + 40_000 * s + 2_000_000 * sin(s / 37))
                    store.recordProcessSample(ProcessSample(time: clock.monotonic() - processStart, rssBytes: rss,
                                                            peakRSSBytes: rss + 3_500_000, threads: 4, cpuSeconds: cpuSeconds,
                                                            cpuPercent: 180 + noise(15)))
                }
                if step % stepsPerEpoch == 0 {
                    let valLoss = 2.3 * exp(-s / 170) + 0.18 + abs(noise(0.02))
                    let valAcc = min(1, 0.95 - 0.85 * exp(-s / 140))
                    for (key, v) in [(MetricKey.valLoss, valLoss), (.valAccuracy, valAcc), (.valPrecision, valAcc - 0.012),
                                     (.valRecall, valAcc - 0.008), (.valF1, valAcc - 0.01)] {
                        store.record(key, step: step, epoch: epoch, wallTime: clock.now(), value: v)
                    }
                    let msg = "epoch \(epoch + 1) done: val loss " + String(format4(valLoss)) + ", val accuracy " + format4(valAcc)
                    store.log(EngineEvent(wallTime: clock.now(), message: msg))
                    if epoch == 2 {
                        store.log(EngineEvent(wallTime: clock.now(), level: .warning,
                                              message: "gradient norm 41.3 above clip 5.0 at step \(step)"))
                    }
                    if epoch == 4 { store.log(EngineEvent(wallTime: clock.now(), message: "checkpoint runs/digits/checkpoints/epoch-5.safetensors")) }
                }
            }
        }

        /// Records `requests` inference latencies spread over `seconds`: mostly ~0.3–1 ms with a slow tail.
        public func serve(requests: Int, over seconds: Double) {
            for i in 0..<max(0, requests) {
                clock.advance(by: seconds / Double(max(1, requests)))
                let base = 450.0 * exp(noise(0.35))
                let tail = i % 97 == 0 ? 4000 + 3000 * abs(noise(1)) : 0
                store.recordLatency(nanos: UInt64((base + tail) * 1000))
            }
        }
    }

    static func format4(_ v: Double) -> String { DashboardFormat.value(v) }
}
