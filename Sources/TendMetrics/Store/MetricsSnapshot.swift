import TendCore

/// A value copy of everything the dashboard draws, taken once per frame by `MetricsStore.snapshot()`.
/// `version` increases with every change to the store, so equal versions mean nothing to redraw.
public struct MetricsSnapshot: Sendable {
    public var version: UInt64
    /// Unix seconds when the snapshot was taken.
    public var takenAt: Double
    public var series: [MetricKey: RingSeries]
    /// Latest-only numeric values (model bytes, current learning rate, ...).
    public var gauges: [MetricKey: Double]
    /// Latest-only text values (backend name, data path, ...).
    public var labels: [MetricKey: String]
    /// The newest events, oldest first (at most the store's `eventCapacity`).
    public var events: [EngineEvent]
    /// Events logged since the store was created (including ones dropped from `events`).
    public var eventsTotal: Int
    public var latency: LatencyReport
    /// Most recent process sample; nil before the first.
    public var process: ProcessSample?
    /// In model order, as last set by the engine.
    public var layers: [LayerStat]
    /// Values published with `MetricsStore.attach(_:as:)`, by key.
    public var attachments: [String: any Sendable] = [:]

    /// The value attached under `key` if it has type `T`.
    public func attachment<T>(_ key: String, as type: T.Type = T.self) -> T? { attachments[key] as? T }
    public var run: RunInfo

    public init(version: UInt64 = 0, takenAt: Double = 0, series: [MetricKey: RingSeries] = [:],
                gauges: [MetricKey: Double] = [:], labels: [MetricKey: String] = [:], events: [EngineEvent] = [],
                eventsTotal: Int = 0, latency: LatencyReport = .empty, process: ProcessSample? = nil,
                layers: [LayerStat] = [], run: RunInfo = RunInfo()) {
        self.version = version; self.takenAt = takenAt; self.series = series; self.gauges = gauges
        self.labels = labels; self.events = events; self.eventsTotal = eventsTotal; self.latency = latency
        self.process = process; self.layers = layers; self.run = run
    }

    /// Series names in sorted order (TensorBoard-style grouping by the part before `/`).
    public var keys: [MetricKey] { series.keys.sorted() }
}

extension MetricKey {
    /// Resident set size in bytes, one point per process sample (x = seconds since the first sample).
    public static let processRSS: MetricKey = "process/rss_bytes"
    /// CPU percent since the previous process sample.
    public static let processCPU: MetricKey = "process/cpu_percent"
    public static let processThreads: MetricKey = "process/threads"
}
