#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Curve smoothing for charts.
public enum Smoothing {
    /// TensorBoard's scalar-dashboard smoothing: a debiased exponential moving average
    /// (`last = last * weight + (1 - weight) * value`, divided by `1 - weight^n` where `n` counts the
    /// finite values so far). A constant series is returned unchanged, non-finite values pass through
    /// without entering the average. `weight` in 0...1: 0 = no smoothing.
    public static func exponentialMovingAverage(_ values: [Double], weight: Double) -> [Double] {
        guard let firstValue = values.first else { return [] }
        let isConstant = values.allSatisfy { $0 == firstValue }
        if isConstant { return values }
        var out: [Double] = []
        out.reserveCapacity(values.count)
        var last = 0.0
        var numAccum = 0
        for v in values {
            guard v.isFinite else { out.append(v); continue }
            last = last * weight + (1 - weight) * v
            numAccum += 1
            let debias = weight == 1 ? 1 : 1 - pow(weight, Double(numAccum))
            out.append(last / debias)
        }
        return out
    }

    /// The same smoothing applied to the `y` of series points (`x`, `wallTime` kept; `low`/`high` untouched).
    public static func exponentialMovingAverage(_ points: [SeriesPoint], weight: Double) -> [SeriesPoint] {
        let ys = exponentialMovingAverage(points.map(\.y), weight: weight)
        var out = points
        for i in out.indices { out[i].y = ys[i] }
        return out
    }
}
