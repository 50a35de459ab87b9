import TendCore

/// The status line of a run. `startedAt` is Unix seconds; `samplesPerSecond` and `etaSeconds` come from
/// the store's throughput meters (fed by `MetricsStore.recordProgress`), or are set by the engine.
public struct RunInfo: Sendable, Equatable {
    public var name: String
    public var state: RunState
    /// 0-based epoch.
    public var epoch: Int
    /// Optimizer steps done.
    public var step: Int
    /// Planned steps; nil when unknown (then there is no ETA).
    public var totalSteps: Int?
    public var samplesPerSecond: Double
    public var stepsPerSecond: Double
    /// Seconds until `totalSteps` at the current step rate; nil when unknown.
    public var etaSeconds: Double?
    public var startedAt: Double

    public init(name: String = "", state: RunState = .starting, epoch: Int = 0, step: Int = 0,
                totalSteps: Int? = nil, samplesPerSecond: Double = 0, stepsPerSecond: Double = 0,
                etaSeconds: Double? = nil, startedAt: Double = 0) {
        self.name = name; self.state = state; self.epoch = epoch; self.step = step; self.totalSteps = totalSteps
        self.samplesPerSecond = samplesPerSecond; self.stepsPerSecond = stepsPerSecond
        self.etaSeconds = etaSeconds; self.startedAt = startedAt
    }

    /// Fraction of planned steps done, 0...1; nil without `totalSteps`.
    public var progress: Double? {
        guard let totalSteps, totalSteps > 0 else { return nil }
        return Swift.min(1, Double(step) / Double(totalSteps))
    }
}
