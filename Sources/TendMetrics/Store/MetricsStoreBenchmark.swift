import TendCore

/// Figures for `tend bench`: the cost of publishing into a `MetricsStore`, measured with `SystemClock`.
public enum MetricsStoreBenchmark {
    /// Nanoseconds per `record(_:)` over `iterations` calls cycling through `seriesCount` series,
    /// with a `snapshot()` every `snapshotEvery` calls (as the UI would take them); 0 disables snapshots.
    public static func nanosPerRecord(iterations: Int = 1_000_000, seriesCount: Int = 4,
                                      snapshotEvery: Int = 0) -> Double {
        let store = MetricsStore()
        let keys = (0..<Swift.max(1, seriesCount)).map { MetricKey("bench/series_\($0)") }
        let start = SystemClock.nanos()
        for i in 0..<iterations {
            store.record(MetricPoint(key: keys[i % keys.count], step: i, epoch: 0, wallTime: 0, value: Double(i)))
            if snapshotEvery > 0 && i % snapshotEvery == 0 { _ = store.snapshot() }
        }
        let elapsed = SystemClock.nanos() - start
        return Double(elapsed) / Double(Swift.max(1, iterations))
    }

    /// Nanoseconds per `recordLatency(nanos:)` (HDR histogram insert plus clock read).
    public static func nanosPerLatencyRecord(iterations: Int = 1_000_000) -> Double {
        let store = MetricsStore()
        let start = SystemClock.nanos()
        for i in 0..<iterations { store.recordLatency(nanos: UInt64(1_000 + (i % 5_000) * 997)) }
        let elapsed = SystemClock.nanos() - start
        return Double(elapsed) / Double(Swift.max(1, iterations))
    }

    /// Microseconds to compute a `LatencyReport` (three windows, distribution, p99 sparkline) when every
    /// one-second slot of the last minute holds `perSecond` latencies spread over 10 µs ... 100 ms.
    /// `warm`: reuse the p99 of closed seconds across reports, as `MetricsStore.snapshot()` does.
    public static func microsPerLatencyReport(perSecond: Int = 1_000, repetitions: Int = 20, warm: Bool = true) -> Double {
        let clock = ManualClock(0)
        var recorder = LatencyRecorder(clock: clock)
        var rng = SeededGenerator(seed: 1)
        for second in 0..<60 {
            clock.set(Double(second))
            for _ in 0..<perSecond { recorder.record(nanos: 10_000 + rng.next() % 100_000_000) }
        }
        clock.set(59.5)
        var sink = 0
        var cache: [Int64: LatencyPoint] = [:]
        if warm { _ = recorder.report(at: clock.monotonic(), p99Cache: &cache) }
        let start = SystemClock.nanos()
        for _ in 0..<repetitions {
            if !warm { cache = [:] }
            sink &+= recorder.report(at: clock.monotonic(), p99Cache: &cache).windows.count
        }
        let elapsed = SystemClock.nanos() - start
        precondition(sink == repetitions * LatencyWindow.allCases.count)
        return Double(elapsed) / 1000 / Double(Swift.max(1, repetitions))
    }
}
