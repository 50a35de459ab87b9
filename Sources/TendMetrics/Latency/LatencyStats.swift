/// Latency statistics for one window. All latencies in microseconds; `throughput` in requests per second.
/// With `count == 0` every figure is 0 and `distribution` is empty.
public struct LatencyStats: Sendable, Equatable {
    public var window: LatencyWindow
    public var count: Int
    public var p50Micros: Double
    public var p90Micros: Double
    public var p99Micros: Double
    public var p999Micros: Double
    public var maxMicros: Double
    public var meanMicros: Double
    /// Requests per second over the part of the window that has elapsed since the first record.
    public var throughput: Double
    /// Log-spaced buckets from the smallest to the largest recorded value, for drawing a histogram.
    public var distribution: [LatencyBucket]

    public init(window: LatencyWindow, count: Int, p50Micros: Double, p90Micros: Double, p99Micros: Double,
                p999Micros: Double, maxMicros: Double, meanMicros: Double, throughput: Double,
                distribution: [LatencyBucket]) {
        self.window = window; self.count = count; self.p50Micros = p50Micros; self.p90Micros = p90Micros
        self.p99Micros = p99Micros; self.p999Micros = p999Micros; self.maxMicros = maxMicros
        self.meanMicros = meanMicros; self.throughput = throughput; self.distribution = distribution
    }

    public static func empty(_ window: LatencyWindow) -> LatencyStats {
        LatencyStats(window: window, count: 0, p50Micros: 0, p90Micros: 0, p99Micros: 0, p999Micros: 0,
                     maxMicros: 0, meanMicros: 0, throughput: 0, distribution: [])
    }
}

/// Recorded values in `[lowerMicros, upperMicros)` (the last bucket includes its upper bound).
public struct LatencyBucket: Sendable, Equatable {
    public var lowerMicros: Double
    public var upperMicros: Double
    public var count: Int
    public init(lowerMicros: Double, upperMicros: Double, count: Int) {
        self.lowerMicros = lowerMicros; self.upperMicros = upperMicros; self.count = count
    }
}

/// p99 of one interval (one second by default), for a sparkline. `time` is the interval's start in the
/// recorder's clock (monotonic seconds); `p99Micros` is 0 when `count` is 0.
public struct LatencyPoint: Sendable, Equatable {
    public var time: Double
    public var p99Micros: Double
    public var count: Int
    public init(time: Double, p99Micros: Double, count: Int) {
        self.time = time; self.p99Micros = p99Micros; self.count = count
    }
}

/// Everything the dashboard draws about latency, taken at one instant.
public struct LatencyReport: Sendable, Equatable {
    /// Clock reading (monotonic seconds) the report was computed at.
    public var time: Double
    /// One entry per `LatencyWindow.allCases`, in that order.
    public var windows: [LatencyStats]
    /// Per-interval p99, oldest first, covering the ring (60 s by default) but not before the first record.
    public var p99Series: [LatencyPoint]

    public init(time: Double, windows: [LatencyStats], p99Series: [LatencyPoint]) {
        self.time = time; self.windows = windows; self.p99Series = p99Series
    }

    public static let empty = LatencyReport(time: 0, windows: LatencyWindow.allCases.map(LatencyStats.empty), p99Series: [])

    public subscript(window: LatencyWindow) -> LatencyStats {
        windows.first { $0.window == window } ?? .empty(window)
    }
}
