/// Names a time series, TensorBoard-style: `"train/loss"`, `"val/accuracy"`, `"serve/latency_ms"`.
/// Invariant: non-empty; `/` separates a group from a name.
public struct MetricKey: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let tag: String
    public init(_ tag: String) { self.tag = tag }
    public init(stringLiteral value: String) { self.tag = value }
    public var description: String { tag }
    public static func < (a: MetricKey, b: MetricKey) -> Bool { a.tag < b.tag }

    public static let trainLoss: MetricKey = "train/loss"
    /// Training batches' cross-entropy against the hard labels: no label-smoothing term and no L2
    /// penalty, so it compares with `val/loss`. Recorded beside `train/loss` only when label smoothing > 0.
    public static let trainCrossEntropy: MetricKey = "train/cross_entropy"
    /// Gauge: the run's label smoothing ε (0 when off), for the loss legend.
    public static let labelSmoothing: MetricKey = "train/label_smoothing"
    public static let trainAccuracy: MetricKey = "train/accuracy"
    public static let valLoss: MetricKey = "val/loss"
    public static let valAccuracy: MetricKey = "val/accuracy"
    public static let valPrecision: MetricKey = "val/precision_macro"
    public static let valRecall: MetricKey = "val/recall_macro"
    public static let valF1: MetricKey = "val/f1_macro"
    public static let learningRate: MetricKey = "train/lr"
    public static let samplesPerSecond: MetricKey = "train/samples_per_s"
    public static let gradNorm: MetricKey = "train/grad_norm"
}
