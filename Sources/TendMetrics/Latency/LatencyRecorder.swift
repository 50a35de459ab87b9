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

    /// Records one latency, stamped with the clock's current reading.
    public mutating func record(nanos: UInt64) { record(nanos: nanos, at: clock.monotonic()) }

    /// Records one latency at monotonic time `time` (seconds). Values older than the ring count only in `.all`.
    public mutating func record(nanos: UInt64, at time: Double) {
        let micros = Swift.min((nanos + 500) / 1000, Self.highestMicros)
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
        let current = slotIndex(now)
        let windows = LatencyWindow.allCases.map { stats($0, at: now, current: current, buckets: buckets) }
        return LatencyReport(time: now, windows: windows, p99Series: p99Series(current: current))
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
        return LatencyStats(
            window: window, count: Int(h.totalCount),
            p50Micros: Double(h.valueAtPercentile(50)), p90Micros: Double(h.valueAtPercentile(90)),
            p99Micros: Double(h.valueAtPercentile(99)), p999Micros: Double(h.valueAtPercentile(99.9)),
            maxMicros: Double(h.maxRecorded), meanMicros: h.mean,
            throughput: Double(h.totalCount) / span,
            distribution: Self.distribution(h, buckets: buckets))
    }

    /// Log-spaced buckets between the smallest and largest recorded value; every recorded value lands in
    /// exactly one bucket (HDR value levels are assigned by their lowest equivalent value).
    static func distribution<C>(_ h: Histogram<C>, buckets: Int) -> [LatencyBucket] {
        guard h.totalCount > 0, buckets > 0 else { return [] }
        let lo = Double(Swift.max(h.min, 1))
        let hi = Swift.max(Double(h.maxRecorded), lo) + 1
        let ratio = hi / lo
        var edges = (0...buckets).map { lo * pow(ratio, Double($0) / Double(buckets)) }
        edges[0] = 0
        edges[buckets] = hi
        var out = (0..<buckets).map { LatencyBucket(lowerMicros: edges[$0], upperMicros: edges[$0 + 1], count: 0) }
        out[0].lowerMicros = lo
        let logRatio = log(ratio)
        for v in h.recordedValues() {
            let value = Double(h.lowestEquivalentForValue(v.value))
            var i = value <= lo ? 0 : Int((log(value / lo) / logRatio * Double(buckets)).rounded(.down))
            i = Swift.min(Swift.max(i, 0), buckets - 1)
            // Floating-point edges: nudge into the bucket whose bounds contain the value.
            while i > 0 && value < edges[i] { i -= 1 }
            while i < buckets - 1 && value >= edges[i + 1] { i += 1 }
            out[i].count += Int(v.count)
        }
        return out
    }

    private func p99Series(current: Int64) -> [LatencyPoint] {
        guard let first = firstRecordAt else { return [] }
        let firstIndex = Swift.max(slotIndex(first), current - Int64(slotCount) + 1)
        guard firstIndex <= current else { return [] }
        return (firstIndex...current).map { index in
            let time = Double(index) * interval
            guard let slot = slots[ringPosition(index)], slot.index == index, slot.histogram.totalCount > 0 else {
                return LatencyPoint(time: time, p99Micros: 0, count: 0)
            }
            return LatencyPoint(time: time, p99Micros: Double(slot.histogram.valueAtPercentile(99)),
                                count: Int(slot.histogram.totalCount))
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
