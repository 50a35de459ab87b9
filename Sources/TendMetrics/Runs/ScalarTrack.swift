/// One scalar tag of one run, ready to chart: at most `capacity` stored points, the newest half raw and
/// the older ones averaged into equal buckets (so a long series keeps its whole history at a bounded
/// cost). `downsampledBefore` is the step up to which stored points are bucket means (nil while every
/// point is raw): charts draw a marker there. `count`, `latest` and `latestStep` describe every point.
/// Invariant: `steps.count == values.count <= capacity`, steps in file order.
public struct ScalarTrack: Sendable, Equatable {
    public let tag: String
    /// Stored x (step, or a bucket's mean step) and y (value, or a bucket's mean of finite values).
    public private(set) var steps: [Double]
    public private(set) var values: [Double]
    /// Points read in all (not just stored).
    public private(set) var count: Int
    /// The newest value and its step (raw, even when stored points are thinned).
    public private(set) var latest: Double?
    public private(set) var latestStep: Double?
    public private(set) var downsampledBefore: Double?

    public static let defaultCapacity = 512

    /// A track of `values` at `steps` (same length, oldest first). `total` is the number of points the
    /// source read (at least `steps.count`; larger when the source thinned them already).
    public init(tag: String, steps: [Double], values: [Double], total: Int? = nil, capacity: Int = ScalarTrack.defaultCapacity) {
        precondition(steps.count == values.count, "ScalarTrack: \(steps.count) steps for \(values.count) values")
        precondition(capacity >= 4, "ScalarTrack capacity must be at least 4")
        self.tag = tag
        count = max(total ?? steps.count, steps.count)
        latest = values.last
        latestStep = steps.last
        let n = steps.count
        guard n > capacity else {
            self.steps = steps; self.values = values; downsampledBefore = nil; return
        }
        // Newest `recent` points raw; the `n - recent` older ones into `buckets` near-equal buckets.
        let recent = capacity / 2
        let buckets = capacity - recent
        let older = n - recent
        var xs: [Double] = [], ys: [Double] = []
        xs.reserveCapacity(capacity); ys.reserveCapacity(capacity)
        for b in 0..<buckets {
            let lo = b * older / buckets, hi = (b + 1) * older / buckets
            guard hi > lo else { continue }
            let p = Self.bucketMean(steps, values, lo, hi)
            xs.append(p.x)
            ys.append(p.y)
        }
        downsampledBefore = xs.last
        xs.append(contentsOf: steps[older...])
        ys.append(contentsOf: values[older...])
        self.steps = xs; self.values = ys
    }

    /// Number of stored points.
    public var storedCount: Int { steps.count }

    /// The stored points thinned to at most `maxPoints` (>= 2) for a chart that many dots wide: the first
    /// and last stay as they are, the ones between are averaged in consecutive near-equal buckets (finite
    /// values only; a bucket with none keeps its last non-finite value, so NaN/Inf still shows).
    public func points(maxPoints: Int) -> [(x: Double, y: Double)] {
        let n = steps.count
        var out: [(x: Double, y: Double)] = []
        guard n > 0 else { return out }
        let m = max(2, maxPoints)
        if n <= m {
            out.reserveCapacity(n)
            for i in 0..<n { out.append((steps[i], values[i])) }
            return out
        }
        out.reserveCapacity(m)
        out.append((steps[0], values[0]))
        let inner = n - 2, slots = m - 2
        for b in 0..<slots {
            let lo = 1 + b * inner / slots, hi = 1 + (b + 1) * inner / slots
            guard hi > lo else { continue }
            out.append(Self.bucketMean(steps, values, lo, hi))
        }
        out.append((steps[n - 1], values[n - 1]))
        return out
    }

    /// Mean step and mean finite value of points `lo..<hi` (non-empty); with no finite value, the last
    /// non-finite one, so NaN/Inf stays visible.
    private static func bucketMean(_ steps: [Double], _ values: [Double], _ lo: Int, _ hi: Int) -> (x: Double, y: Double) {
        var sx = 0.0, sy = 0.0, finite = 0
        var lastNonFinite = Double.nan
        for i in lo..<hi {
            sx += steps[i]
            if values[i].isFinite { sy += values[i]; finite += 1 } else { lastNonFinite = values[i] }
        }
        return (sx / Double(hi - lo), finite > 0 ? sy / Double(finite) : lastNonFinite)
    }
}
