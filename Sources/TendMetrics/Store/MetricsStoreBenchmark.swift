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
}
