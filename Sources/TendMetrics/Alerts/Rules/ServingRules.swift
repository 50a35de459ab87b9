import TendCore

/// Latency SLO: p99 over the last `windowSeconds` (10 or 60; others use 60) above `p99Micros`, once the
/// window holds at least `minRequests` requests. The sparkline is the per-second p99 in the snapshot.
public struct LatencySLORule: AlertRule {
    public let id = "latency"
    public var p99Micros: Double, windowSeconds: Double, minRequests: Int
    public init(p99Micros: Double, windowSeconds: Double, minRequests: Int) {
        self.p99Micros = p99Micros; self.windowSeconds = windowSeconds; self.minRequests = minRequests
    }

    public static let p99Key: MetricKey = "serve/latency_p99_us"

    public func evaluate(_ s: MetricsSnapshot, now: Double) -> [AlertEvaluation] {
        let w: LatencyWindow = windowSeconds <= 10 ? .last10Seconds : .last60Seconds
        let stats = s.latency[w]
        guard stats.count >= minRequests else { return [] }
        if stats.p99Micros > p99Micros {
            return [AlertEvaluation(ruleID: id, severity: .warning, firing: true,
                message: "p99 latency \(fmt(stats.p99Micros / 1000)) ms over the last \(w) is above the SLO \(fmt(p99Micros / 1000)) ms (\(stats.count) requests)",
                metric: Self.p99Key, value: stats.p99Micros, threshold: p99Micros,
                suggestion: "prune or quantize the model, or reduce BLAS threads given to training")]
        }
        return [.ok(id, severity: .warning, metric: Self.p99Key, value: stats.p99Micros, threshold: p99Micros)]
    }
}

/// Memory growth: least-squares slope of RSS (bytes per second) over the last `windowSeconds` above
/// `bytesPerSecond`; needs 10 samples spanning at least half the window.
public struct MemoryGrowthRule: AlertRule {
    public let id = "memory"
    public var bytesPerSecond: Double, windowSeconds: Double
    public init(bytesPerSecond: Double, windowSeconds: Double) { self.bytesPerSecond = bytesPerSecond; self.windowSeconds = windowSeconds }

    public func evaluate(_ s: MetricsSnapshot, now: Double) -> [AlertEvaluation] {
        guard let last = s.series[.processRSS]?.latest else { return [] }
        let pts = s.tail(.processRSS, 512).filter { $0.x >= last.x - windowSeconds }
        guard pts.count >= 10, let first = pts.first, last.x - first.x >= windowSeconds / 2 else { return [] }
        let slope = Self.slope(pts)
        if slope > bytesPerSecond {
            return [AlertEvaluation(ruleID: id, severity: .warning, firing: true,
                message: "RSS growing \(fmt(slope / 1_048_576)) MiB/s over the last \(Int(last.x - first.x)) s (now \(fmt(last.y / 1_048_576)) MiB)",
                metric: .processRSS, value: slope, threshold: bytesPerSecond,
                suggestion: "look for a leak: retained snapshots, growing caches, unbounded logs")]
        }
        return [.ok(id, severity: .warning, metric: .processRSS, value: slope, threshold: bytesPerSecond)]
    }

    /// Least-squares slope dy/dx.
    static func slope(_ pts: [SeriesPoint]) -> Double {
        let n = Double(pts.count)
        let mx = pts.reduce(0) { $0 + $1.x } / n, my = pts.reduce(0) { $0 + $1.y } / n
        var sxy = 0.0, sxx = 0.0
        for p in pts { sxy += (p.x - mx) * (p.y - my); sxx += (p.x - mx) * (p.x - mx) }
        return sxx > 0 ? sxy / sxx : 0
    }
}
