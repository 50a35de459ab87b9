import TendCore
import TendMetrics

/// One curve of a chart: the stored points thinned to the chart's resolution, and the same points smoothed.
/// `latest` is the newest raw value ever recorded (not thinned, not smoothed); nil before the first point.
/// Smoothing runs over the thinned points (as TensorBoard smooths what it draws), so one frame costs
/// O(chart width) whatever the series length; the same weight looks a little stronger on a narrow chart.
public struct ChartLine: Sendable {
    public var name: String
    public var key: MetricKey
    public var latest: Double?
    public var raw: [(x: Double, y: Double)]
    public var smoothed: [(x: Double, y: Double)]
    /// Number of points ever recorded.
    public var count: Int
    /// Said after the value in the legend (`smoothing 0.1`); nil for none.
    public var note: String?

    /// Builds the line for `key` from `snapshot`, at most `maxPoints` points, smoothed with `weight`.
    public init(name: String, key: MetricKey, snapshot: MetricsSnapshot, maxPoints: Int, weight: Double) {
        self.name = name; self.key = key
        guard let series = snapshot.series[key], series.count > 0 else {
            latest = nil; raw = []; smoothed = []; count = 0; return
        }
        count = series.count
        latest = series.latest?.y
        let points = series.points(maxCount: max(2, maxPoints))
        var r: [(x: Double, y: Double)] = []
        r.reserveCapacity(points.count)
        var ys: [Double] = []
        ys.reserveCapacity(points.count)
        for p in points { r.append((p.x, p.y)); ys.append(p.y) }
        raw = r
        if weight > 0 {
            let s = Smoothing.exponentialMovingAverage(ys, weight: weight)
            for i in r.indices { r[i].y = s[i] }
        }
        smoothed = r
    }
}

/// A line chart panel (loss or accuracy): its curves and how to draw them.
public struct ChartModel: Sendable {
    public var lines: [ChartLine]
    /// Older points left of this step are bucket averages (`RingSeries.downsampledBefore`); nil when all raw.
    public var downsampledBefore: Double?
    /// The smoothing weight applied to `smoothed`.
    public var smoothing: Double
    public var logY: Bool
    public var showRaw: Bool

    /// True when no line has a point yet.
    public var isEmpty: Bool { lines.allSatisfy { $0.raw.isEmpty } }

    public init(lines: [ChartLine], downsampledBefore: Double?, smoothing: Double, logY: Bool, showRaw: Bool) {
        self.lines = lines; self.downsampledBefore = downsampledBefore; self.smoothing = smoothing
        self.logY = logY; self.showRaw = showRaw
    }

    /// The largest `downsampledBefore` of `keys` in `snapshot`.
    static func downsampled(_ keys: [MetricKey], in snapshot: MetricsSnapshot) -> Double? {
        keys.compactMap { snapshot.series[$0]?.downsampledBefore }.max()
    }
}
