import TendCore

/// An alert as the triage screen lists it: active (firing now) or resolved. Times are Unix seconds.
/// Invariant: `firstSeen <= lastSeen`; `resolvedAt` is nil while active.
public struct Alert: Sendable, Equatable, Identifiable {
    /// `ruleID` or `ruleID[subject]`, stable across firings of the same problem.
    public var id: String
    public var ruleID: String
    public var subject: String
    public var severity: Severity
    public var message: String
    /// Series for the sparkline and the threshold line to draw over it.
    public var metric: MetricKey?
    public var value: Double?
    public var threshold: Double?
    public var suggestion: String
    /// When the condition was first seen in this episode, and most recently.
    public var firstSeen: Double
    public var lastSeen: Double
    /// When a healthy evaluation ended the episode; nil while active.
    public var resolvedAt: Double?
    /// Muted alerts stay listed but do not pause, fail or ring; muting lasts until `mutedUntil` (Unix s).
    public var mutedUntil: Double?
    /// Evaluations that found the condition during this episode.
    public var hits: Int

    public var isActive: Bool { resolvedAt == nil }
    public func isMuted(at now: Double) -> Bool { mutedUntil.map { now < $0 } ?? false }
}

/// What changed in one evaluation pass: alerts that started firing and ones that resolved.
public struct AlertTransition: Sendable, Equatable {
    public enum Kind: String, Sendable { case fired, resolved }
    public var kind: Kind
    public var alert: Alert

    /// The event line logged to metrics.jsonl, parsed back by `tend report`:
    /// `alert fired critical numerics.loss: loss is nan at step 12 | suggestion`.
    public var eventMessage: String {
        var s = "alert \(kind.rawValue) \(alert.severity.rawValue) \(alert.id): \(alert.message)"
        if kind == .fired && !alert.suggestion.isEmpty { s += " | \(alert.suggestion)" }
        return s
    }

    public var eventLevel: EngineEvent.Level {
        kind == .resolved ? .info : (alert.severity == .critical ? .error : .warning)
    }
}

/// A value copy of the alert engine for the triage screen: active alerts (most severe, then newest first)
/// and resolved ones (newest resolution first, bounded).
public struct AlertsSnapshot: Sendable, Equatable {
    public var active: [Alert]
    public var resolved: [Alert]
    public init(active: [Alert] = [], resolved: [Alert] = []) { self.active = active; self.resolved = resolved }

    /// The most severe active, unmuted severity at `now`; nil when all is well.
    public func worst(at now: Double) -> Severity? {
        active.filter { !$0.isMuted(at: now) }.map(\.severity).max()
    }
}
