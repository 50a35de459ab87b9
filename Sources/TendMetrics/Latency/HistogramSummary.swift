import Histogram

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Percentiles, mean and a log-spaced distribution of an HDR histogram in one pass over its recorded
/// values (the library's `valueAtPercentile`/`mean` are not inlinable, so each would be a slow generic scan).
/// Percentiles follow `Histogram.valueAtPercentile` exactly: the highest equivalent value of the first
/// level whose cumulative count reaches `ceil(p⁻ * total / 100)`, clamped to the recorded min ... max.
struct HistogramSummary {
    var percentiles: [UInt64]
    var mean: Double
    var distribution: [LatencyBucket]

    /// `percentiles` must be ascending, each in 0 < p < 100.
    init<C>(_ h: Histogram<C>, percentiles wanted: [Double], buckets: Int) {
        let total = h.totalCount
        percentiles = Array(repeating: 0, count: wanted.count)
        mean = 0
        distribution = []
        guard total > 0 else { return }
        let minValue = h.min, maxValue = h.maxRecorded
        let thresholds = wanted.map { p -> UInt64 in
            Swift.max(1, UInt64((Swift.min(Swift.max(p.nextDown, 0), 100) * Double(total) / 100).rounded(.up)))
        }

        let lo = Double(Swift.max(minValue, 1))
        let hi = Swift.max(Double(maxValue), lo) + 1
        let logRange = log(hi / lo)
        var edges: [Double] = []
        if buckets > 0 {
            edges = (0...buckets).map { lo * exp(logRange * Double($0) / Double(buckets)) }
            edges[buckets] = hi
            distribution = (0..<buckets).map { LatencyBucket(lowerMicros: edges[$0], upperMicros: edges[$0 + 1], count: 0) }
        }

        var next = 0
        var weighted = 0.0
        for v in h.recordedValues() {
            let count = UInt64(v.count)
            while next < thresholds.count && v.totalCountToThisValue >= thresholds[next] {
                percentiles[next] = Swift.max(Swift.min(v.value, maxValue), minValue)
                next += 1
            }
            let low = h.lowestEquivalentForValue(v.value)
            let median = low + h.sizeOfEquivalentRangeForValue(v.value) >> 1
            weighted += Double(median) * Double(count)
            if buckets > 0 {
                let value = Double(low)
                var i = value <= lo ? 0 : Int((log(value / lo) / logRange * Double(buckets)).rounded(.down))
                i = Swift.min(Swift.max(i, 0), buckets - 1)
                // Floating-point edges: nudge into the bucket whose bounds contain the value.
                while i > 0 && value < edges[i] { i -= 1 }
                while i < buckets - 1 && value >= edges[i + 1] { i += 1 }
                distribution[i].count += Int(count)
            }
        }
        mean = weighted / Double(total)
    }
}
