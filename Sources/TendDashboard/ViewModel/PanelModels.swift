import TendCore
import TendMetrics
import TendUI

/// Accuracy panel: train/validation accuracy curves and the newest macro precision, recall and F1 (0…1).
public struct AccuracyModel: Sendable {
    public var chart: ChartModel
    public var precision: Double?
    public var recall: Double?
    public var f1: Double?
}

/// Latency panel, from the last-10-s window (or all time when the last 10 s are empty). Times in µs.
public struct LatencyModel: Sendable {
    /// The window the figures are from.
    public var window: LatencyWindow
    public var count: Int
    public var p50: Double, p90: Double, p99: Double, p999: Double, max: Double
    /// Requests per second in `window`.
    public var throughput: Double
    public var buckets: [Histogram.Bucket]
    /// p99 per second, oldest first; NaN for seconds without requests.
    public var p99Trend: [Double]
    public var isEmpty: Bool { count == 0 }

    public init(_ report: LatencyReport) {
        let recent = report[.last10Seconds]
        let stats = recent.count > 0 ? recent : report[.all]
        window = stats.window
        count = stats.count
        p50 = stats.p50Micros; p90 = stats.p90Micros; p99 = stats.p99Micros; p999 = stats.p999Micros
        max = stats.maxMicros
        throughput = stats.throughput
        buckets = stats.distribution.map { Histogram.Bucket(lower: $0.lowerMicros, upper: $0.upperMicros, count: Double($0.count)) }
        p99Trend = report.p99Series.map { $0.count > 0 ? $0.p99Micros : .nan }
    }
}

/// Memory & CPU panel. Sizes in bytes; nil until the first process sample or model gauge.
public struct MemoryModel: Sendable {
    public var rssBytes: Double?
    public var peakRSSBytes: Double?
    public var cpuPercent: Double?
    public var threads: Int?
    public var modelBytesDense: Double?
    public var modelBytesStored: Double?
    /// RSS over time (x = seconds since the first sample), thinned to the chart resolution.
    public var rssTrend: [(x: Double, y: Double)]
    /// CPU % per sample, thinned.
    public var cpuTrend: [Double]
    public var isEmpty: Bool { rssBytes == nil && modelBytesDense == nil && modelBytesStored == nil }

    public init(_ snapshot: MetricsSnapshot, maxPoints: Int) {
        let p = snapshot.process
        rssBytes = p.map { Double($0.rssBytes) }
        peakRSSBytes = p.map { Double($0.peakRSSBytes) }
        cpuPercent = p?.cpuPercent
        threads = p?.threads
        modelBytesDense = snapshot.gauges[.modelBytesDense]
        modelBytesStored = snapshot.gauges[.modelBytesStored]
        let n = Swift.max(2, maxPoints)
        rssTrend = snapshot.series[.processRSS]?.points(maxCount: n).map { (x: $0.x, y: $0.y) } ?? []
        cpuTrend = snapshot.series[.processCPU]?.points(maxCount: n).map(\.y) ?? []
    }
}

/// Layers panel: one preformatted row per layer (sparsity as % of weights that are zero, SQNR in dB) plus
/// totals over all layers.
public struct LayersModel: Sendable {
    public static let columns = ["layer", "shape", "params", "zero", "bits", "SQNR"]
    public var rows: [[String]]
    public var totalParameters: Int
    /// Parameter-weighted mean sparsity over all layers, 0…1; nil without layers.
    public var overallSparsity: Double?

    public init(_ layers: [LayerStat], ascii: Bool) {
        let times = ascii ? "x" : "×", none = ascii ? "-" : "–"
        rows = layers.map { l in
            [l.name,
             l.shape.map(String.init).joined(separator: times),
             DashboardFormat.grouped(l.parameters),
             DashboardFormat.percent(l.sparsity),
             NumberFormat.compact(l.bitsPerWeight),
             l.sqnrDB.map { NumberFormat.fixed($0, decimals: 1) } ?? none]
        }
        totalParameters = layers.reduce(0) { $0 + $1.parameters }
        overallSparsity = totalParameters > 0
            ? layers.reduce(0.0) { $0 + $1.sparsity * Double($1.parameters) } / Double(totalParameters) : nil
    }
}

/// The status line: what the run is doing and how far it is.
public struct StatusModel: Sendable, Equatable {
    public var runName: String
    public var state: RunState
    /// 1-based epoch for display.
    public var epoch: Int
    public var step: Int
    public var totalSteps: Int?
    public var samplesPerSecond: Double
    public var etaSeconds: Double?
    /// Seconds since the run started; nil when the start time is unknown.
    public var elapsedSeconds: Double?
    /// Key hints such as `"space pause"`, in display order.
    public var hints: [String]
    /// Replaces the run state's word when set (`serving` for a model served, not trained); the step is then
    /// the requests served and the rate texts per second.
    public var stateLabel: String? = nil

    /// True when the hints are ordered by importance and give way from the end, keeping the last two
    /// (`q quit`, `? help`): after training finished, when they say what can come next.
    public var hintsByImportance: Bool { state == .finished && stateLabel == nil }

    /// The state as the user reads it.
    public var stateText: String {
        if let stateLabel { return stateLabel }
        switch state {
        case .starting: return "starting"
        case .training: return "training"
        case .paused: return "paused"
        case .finished: return "training finished"
        case .stopped: return "stopped"
        case .error: return "error"
        }
    }

    public var stateTone: Tone {
        if stateLabel != nil { return .good }
        switch state {
        case .starting: return .dim
        case .training: return .good
        case .paused: return .warning
        case .finished, .stopped: return .accent
        case .error: return .critical
        }
    }
}
