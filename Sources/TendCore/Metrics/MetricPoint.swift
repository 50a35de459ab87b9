/// One measured value of a series at a training step.
/// `wallTime` is seconds since the Unix epoch; `step` counts optimizer steps from 0; `epoch` is 0-based.
public struct MetricPoint: Sendable, Equatable {
    public var key: MetricKey
    public var step: Int
    public var epoch: Int
    public var wallTime: Double
    public var value: Double

    public init(key: MetricKey, step: Int, epoch: Int, wallTime: Double, value: Double) {
        self.key = key; self.step = step; self.epoch = epoch; self.wallTime = wallTime; self.value = value
    }
}

/// A line for the event log: epochs, checkpoints, actions, warnings. `wallTime` in Unix seconds.
public struct EngineEvent: Sendable, Equatable {
    public enum Level: String, Sendable, Codable { case info, warning, error }
    public var wallTime: Double
    public var level: Level
    public var message: String
    public init(wallTime: Double, level: Level = .info, message: String) {
        self.wallTime = wallTime; self.level = level; self.message = message
    }
}
