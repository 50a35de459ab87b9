import TendMetrics

/// What the alert badge shows: active, unmuted alerts by severity at a given time. Empty means hidden.
public struct AlertBadge: Sendable, Equatable {
    public var critical: Int
    public var warning: Int

    public init(critical: Int = 0, warning: Int = 0) { self.critical = critical; self.warning = warning }

    public init(_ alerts: AlertsSnapshot, at now: Double) {
        let live = alerts.active.filter { !$0.isMuted(at: now) }
        critical = live.filter { $0.severity == .critical }.count
        warning = live.filter { $0.severity == .warning }.count
    }

    public var isEmpty: Bool { critical == 0 && warning == 0 }

    /// The badge's parts, most severe first, e.g. `["1 critical", "2 warning"]`.
    public var parts: [(text: String, severity: Severity)] {
        var out: [(String, Severity)] = []
        if critical > 0 { out.append(("\(critical) critical", .critical)) }
        if warning > 0 { out.append(("\(warning) warning", .warning)) }
        return out
    }
}
