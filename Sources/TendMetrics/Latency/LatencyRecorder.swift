import Histogram
import TendCore

/// Records request latencies into HDR histograms (1 µs ... 60 s, 3 significant digits) and reports them
/// over sliding windows (last 10 s, last 60 s, all time).
///
/// Windows are a ring of per-interval histograms (one second by default) merged on `report`; a value
/// leaves the 10 s window between 9 and 10 s after it was recorded. Time comes from the injected
/// `TendClock` (monotonic seconds), so tests drive it with `ManualClock`. Values above 60 s are clamped
/// to 60 s; below 1 µs they count as 0 µs. Value type: copies are cheap (copy-on-write histograms).
public struct LatencyRecorder: Sendable {
    public static let lowestMicros: UInt64 = 1
    public static let highestMicros: UInt64 = 60_000_000

    /// Seconds per ring slot.
    public let interval: Double
    /// Number of slots: covers the longest finite window.
    public let slotCount: Int
    public let clock: any TendClock

    private struct Slot: Sendable {
        var index: Int64
        var histogram: Histogram<UInt32>
    }
    private var slots: [Slot?]
    private var total: Histogram<UInt64>
    /// Clock reading of the first record, nil before any.
    public private(set) var firstRecordAt: Double?
    /// Number of values recorded since creation.
    public var totalCount: Int { Int(total.totalCount) }

    public init(clock: any TendClock, interval: Double = 1) {
        precondition(interval > 0, "LatencyRecorder interval must be positive")
        self.clock = clock
        self.interval = interval
        let longest = LatencyWindow.allCases.compactMap(\.seconds).max() ?? 60
        slotCount = Int((longest / interval).rounded(.up))
        slots = Array(repeating: nil, count: slotCount)
        total = Self.makeHistogram()
    }

    static func makeHistogram<C>() -> Histogram<C> {
        Histogram<C>(lowestDiscernibleValue: lowestMicros, highestTrackableValue: highestMicros,
                     numberOfSignificantValueDigits: .three)
    }

    /// A latency as the histograms hold it: nanoseconds rounded to the nearest microsecond, at most 60 s.
    public static func micros(nanos: UInt64) -> UInt64 {
        Swift.min(nanos / 1000 + (nanos % 1000 >= 500 ? 1 : 0), highestMicros)
    }

    /// Records one latency, stamped with the clock's current reading.
    public mutating func record(nanos: UInt64) { record(nanos: nanos, at: clock.monotonic()) }

    /// Records one latency at monotonic time `time` (seconds). Values older than the ring count only in `.all`.
    public mutating func record(nanos: UInt64, at time: Double) {
        let micros = Self.micros(nanos: nanos)
        total.record(micros)
        if firstRecordAt == nil { firstRecordAt = time }
        let index = slotIndex(time)
        let s = ringPosition(index)
        if slots[s] == nil {
            slots[s] = Slot(index: index, histogram: Self.makeHistogram())
        } else if slots[s]!.index < index {
            slots[s]!.index = index
            slots[s]!.histogram.reset()
        } else if slots[s]!.index > index {
            return
        }
        slots[s]!.histogram.record(micros)
    }

    private func slotIndex(_ time: Double) -> Int64 { Int64((time / interval).rounded(.down)) }
    private func ringPosition(_ index: Int64) -> Int {
        let m = Int(index % Int64(slotCount))
        return m < 0 ? m + slotCount : m
    }

    /// Statistics for every window and the p99 sparkline, at the clock's current reading.
    public func report(buckets: Int = 30) -> LatencyReport { report(at: clock.monotonic(), buckets: buckets) }

    public func report(at now: Double, buckets: Int = 30) -> LatencyReport {
        var cache: [Int64: LatencyPoint] = [:]
        return report(at: now, buckets: buckets, p99Cache: &cache)
    }

    /// As `report(at:buckets:)`, reusing the p99 of intervals that had closed when `p99Cache` was filled
    /// (keyed by interval number). Pass the same dictionary on every call to skip recomputing them.
    public func report(at now: Double, buckets: Int = 30, p99Cache: inout [Int64: LatencyPoint]) -> LatencyReport {
        let current = slotIndex(now)
        let windows = LatencyWindow.allCases.map { stats($0, at: now, current: current, buckets: buckets) }
        return LatencyReport(time: now, windows: windows, p99Series: p99Series(current: current, cache: &p99Cache))
    }

    /// The merged histogram of a finite window at `now` (for callers that want other percentiles).
    /// For `.all` use `allTime`.
    public func histogram(_ window: LatencyWindow, at now: Double) -> Histogram<UInt32> {
        var merged: Histogram<UInt32> = Self.makeHistogram()
        let current = slotIndex(now)
        let n = Int64(((window.seconds ?? Double(slotCount) * interval) / interval).rounded(.up))
        for case let slot? in slots where slot.index > current - n && slot.index <= current && slot.histogram.totalCount > 0 {
            merged.add(slot.histogram)
        }
        return merged
    }

    /// Everything recorded since creation.
    public var allTime: Histogram<UInt64> { total }

    private func stats(_ window: LatencyWindow, at now: Double, current: Int64, buckets: Int) -> LatencyStats {
        if window.seconds == nil { return stats(total, window, at: now, current: current, buckets: buckets) }
        return stats(histogram(window, at: now), window, at: now, current: current, buckets: buckets)
    }

    private func stats<C>(_ h: Histogram<C>, _ window: LatencyWindow, at now: Double, current: Int64,
                          buckets: Int) -> LatencyStats {
        guard h.totalCount > 0, let first = firstRecordAt else { return .empty(window) }
        var start = first
        if let seconds = window.seconds {
            let n = (seconds / interval).rounded(.up)
            start = Swift.max(first, (Double(current) - n + 1) * interval)
        }
        let span = Swift.max(now - start, interval)
        let summary = HistogramSummary(h, percentiles: [50, 90, 99, 99.9], buckets: buckets)
        let p = summary.percentiles.map { Double($0) }
        return LatencyStats(
            window: window, count: Int(h.totalCount),
            p50Micros: p[0], p90Micros: p[1], p99Micros: p[2], p999Micros: p[3],
            maxMicros: Double(h.maxRecorded), meanMicros: summary.mean,
            throughput: Double(h.totalCount) / span,
            distribution: summary.distribution)
    }

    private func p99Series(current: Int64, cache: inout [Int64: LatencyPoint]) -> [LatencyPoint] {
        guard let first = firstRecordAt else { return [] }
        let oldest = current - Int64(slotCount) + 1
        let firstIndex = Swift.max(slotIndex(first), oldest)
        guard firstIndex <= current else { return [] }
        for key in cache.keys where key < oldest { cache[key] = nil }
        return (firstIndex...current).map { index in
            if let known = cache[index] { return known }
            let time = Double(index) * interval
            var point = LatencyPoint(time: time, p99Micros: 0, count: 0)
            if let slot = slots[ringPosition(index)], slot.index == index, slot.histogram.totalCount > 0 {
                let p99 = HistogramSummary(slot.histogram, percentiles: [99], buckets: 0).percentiles[0]
                point = LatencyPoint(time: time, p99Micros: Double(p99), count: Int(slot.histogram.totalCount))
            }
            if index < current { cache[index] = point }
            return point
        }
    }
}
