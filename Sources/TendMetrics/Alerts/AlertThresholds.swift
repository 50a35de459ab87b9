/// Every tunable figure of the standard health rules, with defaults. Set by `tend.rules` (see
/// docs/RULES.md) and by flags. Units are in the names: seconds, micros, bytes per second, fractions.
public struct AlertThresholds: Sendable, Equatable {
    /// Divergence: the last `divergenceWindow` train-loss points all above `divergenceFactor` × the running minimum.
    public var divergenceFactor = 3.0
    public var divergenceWindow = 20
    /// Plateau: validation loss has not improved by more than `plateauMinDelta` (relative) for this many evaluations.
    public var plateauEvaluations = 10
    public var plateauMinDelta = 1e-4
    /// Overfitting: validation loss rose at each of the last `overfitEvaluations` evaluations while train loss fell.
    public var overfitEvaluations = 3
    /// Overfitting: train accuracy minus validation accuracy above this.
    public var accuracyGap = 0.1
    /// Latency SLO: p99 over the last `latencyWindowSeconds` (10 or 60) above `latencyP99Micros`,
    /// with at least `latencyMinRequests` requests in the window.
    public var latencyP99Micros = 50_000.0
    public var latencyWindowSeconds = 10.0
    public var latencyMinRequests = 20
    /// Throughput drop: latest samples/s below (1 - this) × the median of earlier epochs.
    public var throughputDrop = 0.5
    /// Memory growth: least-squares RSS slope over the last `memoryWindowSeconds` above this many bytes/s.
    public var memorySlopeBytesPerSecond = 1_048_576.0
    public var memoryWindowSeconds = 60.0
    /// Drift: PSI above this for a feature or for the predictions (0.1 moderate, 0.25 major shift).
    public var driftPSI = 0.25
    /// Fairness: demographic parity difference and equalized odds difference above these.
    public var demographicParityDifference = 0.1
    public var equalizedOddsDifference = 0.1
    /// Leakage: a single feature predicting the label with at least this accuracy.
    public var leakageScore = 0.99
    /// Minimum seconds between evaluations of the whole rule set (non-finite values and new
    /// validation points are evaluated at once).
    public var evaluationInterval = 0.25
    /// Hysteresis: an active alert resolves only after this many consecutive healthy verdicts (a firing one
    /// resets the count), so a noisy signal near its threshold does not fire and resolve on every evaluation.
    public var resolveAfterEvaluations = 3
    /// Rule ids switched off.
    public var disabled: Set<String> = []
    /// Severity overrides by rule id.
    public var severities: [String: Severity] = [:]

    public init() {}
}
