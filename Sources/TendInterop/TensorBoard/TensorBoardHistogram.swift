/// A histogram as TensorBoard draws it: buckets `(left, right]` with counts, in ascending order.
/// From a `HistogramProto` the first bucket starts at the proto's `min` and the last ends at its `max`
/// (the proto's open-ended ±DBL_MAX limits are clamped like TensorBoard does); from a `[k, 3]` tensor
/// (plugin "histograms") the rows are taken as they are. `sum` is nil when the source does not carry it.
public struct TensorBoardHistogram: Sendable, Equatable {
    public struct Bucket: Sendable, Equatable {
        public var left: Double
        public var right: Double
        public var count: Double
        public init(left: Double, right: Double, count: Double) { self.left = left; self.right = right; self.count = count }
    }

    public var buckets: [Bucket]
    public var sum: Double?
    public var sumSquares: Double?

    public init(buckets: [Bucket], sum: Double? = nil, sumSquares: Double? = nil) {
        self.buckets = buckets; self.sum = sum; self.sumSquares = sumSquares
    }

    /// Total number of values.
    public var count: Double { buckets.reduce(0) { $0 + $1.count } }
    /// Left edge of the first bucket; nil when there are no buckets.
    public var min: Double? { buckets.first?.left }
    /// Right edge of the last bucket; nil when there are no buckets.
    public var max: Double? { buckets.last?.right }
}
