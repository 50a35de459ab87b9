/// One stored point of a time series: `x` is the step, `y` the value.
/// A point may summarise a bucket of `span` raw points (after downsampling): then `x` and `y` are the
/// span-weighted means, `low`/`high` the extreme finite raw values, `wallTime` that of the newest member.
/// Invariant: `span >= 1`; for a raw point `low == high == y`.
public struct SeriesPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    /// Unix seconds of the raw point (of the newest raw point for a bucket).
    public var wallTime: Double
    /// Smallest finite raw value in the bucket (`y` for a raw point).
    public var low: Double
    /// Largest finite raw value in the bucket (`y` for a raw point).
    public var high: Double
    /// Number of raw points this point stands for.
    public var span: Int

    public init(x: Double, y: Double, wallTime: Double = 0) {
        self.x = x; self.y = y; self.wallTime = wallTime; low = y; high = y; span = 1
    }

    public init(x: Double, y: Double, wallTime: Double, low: Double, high: Double, span: Int) {
        precondition(span >= 1, "SeriesPoint.span must be >= 1 (got \(span))")
        self.x = x; self.y = y; self.wallTime = wallTime; self.low = low; self.high = high; self.span = span
    }

    /// True when this point summarises more than one raw point.
    public var isBucket: Bool { span > 1 }

    /// The bucket covering `self` followed by `newer`: span-weighted mean of x and of finite y,
    /// min/max over finite values. Non-finite values do not poison the mean; a bucket with no finite
    /// value keeps the newer non-finite `y`.
    public func merged(with newer: SeriesPoint) -> SeriesPoint {
        let total = span + newer.span
        let wa = Double(span), wb = Double(newer.span)
        let x = (self.x * wa + newer.x * wb) / Double(total)
        let y: Double
        switch (self.y.isFinite, newer.y.isFinite) {
        case (true, true): y = (self.y * wa + newer.y * wb) / (wa + wb)
        case (true, false): y = self.y
        case (false, _): y = newer.y
        }
        return SeriesPoint(x: x, y: y, wallTime: newer.wallTime,
                           low: SeriesPoint.finiteExtreme(low, newer.low, pickSmaller: true),
                           high: SeriesPoint.finiteExtreme(high, newer.high, pickSmaller: false),
                           span: total)
    }

    private static func finiteExtreme(_ a: Double, _ b: Double, pickSmaller: Bool) -> Double {
        switch (a.isFinite, b.isFinite) {
        case (true, true): return pickSmaller ? Swift.min(a, b) : Swift.max(a, b)
        case (true, false): return a
        case (false, true): return b
        case (false, false): return b
        }
    }
}
