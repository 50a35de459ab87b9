/// A metrics.jsonl file could not be opened or read.
public enum MetricsJSONLError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "\(path): cannot open metrics log for appending: \(reason)"
        case let .unreadable(path, reason): return "\(path): cannot read metrics log: \(reason)"
        }
    }
}
