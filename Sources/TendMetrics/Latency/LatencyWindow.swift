/// A span of recent time over which latency statistics are merged.
public enum LatencyWindow: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case last10Seconds
    case last60Seconds
    /// Everything recorded since the recorder was created.
    case all

    /// Length in seconds; nil for `.all`.
    public var seconds: Double? {
        switch self {
        case .last10Seconds: return 10
        case .last60Seconds: return 60
        case .all: return nil
        }
    }

    public var description: String {
        switch self {
        case .last10Seconds: return "10s"
        case .last60Seconds: return "60s"
        case .all: return "all"
        }
    }
}
