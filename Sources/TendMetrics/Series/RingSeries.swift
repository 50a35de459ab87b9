/// A bounded time series of (step, value, wall time) that keeps a whole run visible.
///
/// Holds at most `capacity` points: the very first point (raw), a history of buckets that each summarise
/// `bucketSpan` raw points (uniform resolution; pairs are merged and `bucketSpan` doubles whenever the
/// history fills), and the newest points raw. Appending is O(1) amortised. `count`, `latest`, `min`, `max`
/// describe every point ever appended, not just the stored ones.
public struct RingSeries: Sendable {
    /// Maximum number of stored points (>= 8).
    public let capacity: Int
    /// Number of points appended since creation.
    public private(set) var count: Int = 0
    /// The last appended point, raw.
    public private(set) var latest: SeriesPoint?
    /// Smallest finite value ever appended.
    public private(set) var min: Double?
    /// Largest finite value ever appended.
    public private(set) var max: Double?
    /// Stored points with `x <= downsampledBefore` are buckets (downsampled); nil while every point is raw.
    public private(set) var downsampledBefore: Double?
    /// Raw points per history bucket (a power of two; 1 until the first merge).
    public private(set) var bucketSpan: Int = 1

    private let historyCapacity: Int
    private var first: SeriesPoint?
    private var history: [SeriesPoint] = []
    private var pending: SeriesPoint?
    private var recent: PointRing

    /// `capacity` is split between downsampled history and raw recent points (about half each).
    public init(capacity: Int = 4096) {
        precondition(capacity >= 8, "RingSeries capacity must be at least 8 (got \(capacity))")
        self.capacity = capacity
        let h = (capacity - 2) / 2
        historyCapacity = h - h % 2
        recent = PointRing(capacity: capacity - 2 - historyCapacity)
        history.reserveCapacity(historyCapacity)
    }

    /// Number of points currently stored (<= capacity).
    public var storedCount: Int {
        (first == nil ? 0 : 1) + history.count + (pending == nil ? 0 : 1) + recent.count
    }

    public mutating func append(step: Int, value: Double, wallTime: Double) {
        append(SeriesPoint(x: Double(step), y: value, wallTime: wallTime))
    }

    public mutating func append(_ p: SeriesPoint) {
        count += 1
        latest = p
        if p.y.isFinite {
            if min.map({ p.y < $0 }) ?? true { min = p.y }
            if max.map({ p.y > $0 }) ?? true { max = p.y }
        }
        guard first != nil else { first = p; return }
        if let evicted = recent.push(p) { absorb(evicted) }
    }

    /// Moves a point leaving the raw tail into the bucketed history.
    private mutating func absorb(_ p: SeriesPoint) {
        let bucket = pending.map { $0.merged(with: p) } ?? p
        if bucket.span >= bucketSpan {
            history.append(bucket)
            pending = nil
            if history.count == historyCapacity { halveHistory() }
        } else {
            pending = bucket
        }
        if bucketSpan > 1 { downsampledBefore = p.x }
    }

    private mutating func halveHistory() {
        let n = history.count / 2
        for i in 0..<n { history[i] = history[2 * i].merged(with: history[2 * i + 1]) }
        history.removeLast(history.count - n)
        bucketSpan *= 2
    }

    /// Stored points, oldest first: first raw point, buckets, then raw recent points.
    public var points: [SeriesPoint] {
        var out: [SeriesPoint] = []
        out.reserveCapacity(storedCount)
        if let first { out.append(first) }
        out.append(contentsOf: history)
        if let pending { out.append(pending) }
        recent.appendAll(to: &out)
        return out
    }

    /// The newest `n` stored points, oldest first (all of them when fewer are stored): `points.suffix(n)`
    /// without building the whole list, so a rule reading a short window costs O(n), not O(capacity).
    public func suffix(_ n: Int) -> [SeriesPoint] {
        guard n > 0 else { return [] }
        let fromRecent = Swift.min(n, recent.count)
        var needed = n - fromRecent
        var older: [SeriesPoint] = []   // newest first
        if needed > 0, let pending { older.append(pending); needed -= 1 }
        if needed > 0 {
            let k = Swift.min(needed, history.count)
            older.append(contentsOf: history[(history.count - k)...].reversed()); needed -= k
        }
        if needed > 0, let first { older.append(first) }
        var out: [SeriesPoint] = []
        out.reserveCapacity(older.count + fromRecent)
        out.append(contentsOf: older.reversed())
        recent.appendSuffix(fromRecent, to: &out)
        return out
    }

    /// The smallest finite y among the stored points except the newest `n`; nil when there is none.
    /// Allocates nothing.
    public func minimum(droppingLast n: Int) -> Double? {
        var remaining = storedCount - Swift.max(0, n)
        var best: Double? = nil
        func visit(_ p: SeriesPoint) {
            guard remaining > 0 else { return }
            remaining -= 1
            if p.y.isFinite, best.map({ p.y < $0 }) ?? true { best = p.y }
        }
        if let first { visit(first) }
        for p in history { visit(p) }
        if let pending { visit(pending) }
        recent.forEach(visit)
        return best
    }

    /// Stored points thinned to at most `maxCount` (>= 2) for a chart of that many pixels: the first and
    /// last points stay raw, the ones between are merged into consecutive buckets of near-equal size.
    public func points(maxCount: Int) -> [SeriesPoint] {
        precondition(maxCount >= 2, "points(maxCount:) needs room for the first and last point")
        let all = points
        guard all.count > maxCount else { return all }
        let middle = all[1..<(all.count - 1)]
        let groups = maxCount - 2
        var out: [SeriesPoint] = [all[0]]
        out.reserveCapacity(maxCount)
        var start = middle.startIndex
        for g in 0..<groups {
            let end = middle.startIndex + (g + 1) * middle.count / groups
            guard end > start else { continue }
            var bucket = middle[start]
            for j in (start + 1)..<end { bucket = bucket.merged(with: middle[j]) }
            out.append(bucket)
            start = end
        }
        out.append(all[all.count - 1])
        return out
    }
}
