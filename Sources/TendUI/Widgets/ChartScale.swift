#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A linear mapping from data values to dot positions, and tick choice, shared by the charts.
public struct ChartScale: Hashable, Sendable {
    public var lower: Double, upper: Double

    /// A scale over `values` (non-finite skipped). A single value is centred in a range padded around it;
    /// no values at all give 0…1.
    public init(values: some Sequence<Double>) {
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite { lo = min(lo, v); hi = max(hi, v) }
        self.init(lower: lo, upper: hi)
    }

    /// A scale over all values of several arrays (non-finite skipped).
    public init(arrays: [[Double]]) {
        var lo = Double.infinity, hi = -Double.infinity
        for a in arrays {
            for v in a where v.isFinite {
                if v < lo { lo = v }
                if v > hi { hi = v }
            }
        }
        self.init(lower: lo, upper: hi)
    }

    public init(lower: Double, upper: Double) {
        guard lower.isFinite, upper.isFinite else { self.lower = 0; self.upper = 1; return }
        if upper > lower { self.lower = lower; self.upper = upper; return }
        let pad = lower == 0 ? 1 : abs(lower) * 0.5
        self.lower = lower - pad; self.upper = lower + pad
    }

    /// Position of `v` on `0...(steps - 1)`, rounded to the nearest integer (0 at `lower`).
    public func position(_ v: Double, steps: Int) -> Int {
        guard steps > 1 else { return 0 }
        let t = (v - lower) / (upper - lower)
        let clamped = min(1, max(0, t))
        return Int((clamped * Double(steps - 1)).rounded())
    }

    /// A precomputed `position(_:steps:)` for many values.
    public struct Mapper: Sendable {
        let lower: Double, factor: Double, last: Int
        /// Position of `v` on `0...last`, clamped and rounded half up.
        @inline(__always) public func callAsFunction(_ v: Double) -> Int {
            let p = (v - lower) * factor
            if !(p > 0) { return 0 }
            let i = Int(p + 0.5)
            return i > last ? last : i
        }
    }

    public func mapper(steps: Int) -> Mapper {
        Mapper(lower: lower, factor: steps > 1 ? Double(steps - 1) / (upper - lower) : 0, last: max(0, steps - 1))
    }

    /// Round tick values (1, 2 or 5 × 10ⁿ apart) inside the range, at most `maxCount` of them.
    public func niceTicks(maxCount: Int) -> [Double] {
        guard maxCount >= 1, upper > lower else { return [lower] }
        let rough = (upper - lower) / Double(max(1, maxCount - 1))
        let magnitude = pow(10, floor(log10(rough)))
        var step = magnitude
        for m in [1.0, 2, 5, 10] where magnitude * m >= rough { step = magnitude * m; break }
        if magnitude * 10 < rough { step = magnitude * 10 }
        var ticks: [Double] = []
        var t = ceil(lower / step - 1e-9) * step
        while t <= upper + step * 1e-9, ticks.count <= maxCount {
            ticks.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return ticks
    }
}
