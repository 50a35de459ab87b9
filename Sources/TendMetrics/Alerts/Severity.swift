/// How urgent an alert is. Ordered: `warning < critical`. A critical alert pauses a live run
/// (the executable pushes `.pause`) and marks checkpoints written while it is active as not good.
public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
    case warning, critical

    private var rank: Int { self == .warning ? 1 : 2 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}
