import Synchronization
import TendCore

/// Owns the alert list of a run: runs the rules over snapshots, opens an alert when an evaluation fires,
/// updates it while it keeps firing, resolves it after `thresholds.resolveAfterEvaluations` consecutive healthy
/// evaluations of the same id (hysteresis against flapping), and keeps muting.
/// Thread-safe (one `Mutex`); `evaluate` may be called from the trainer and the sampler thread alike.
public final class AlertEngine: Sendable {
    public let rules: [any AlertRule]
    public let thresholds: AlertThresholds
    /// Resolved alerts kept for the triage screen (oldest dropped first).
    public let resolvedCapacity: Int

    private struct State: Sendable {
        var active: [String: Alert] = [:]
        var resolved: [Alert] = []
        var mutes: [String: Double] = [:]
        /// Consecutive healthy verdicts of each active alert.
        var healthyStreak: [String: Int] = [:]
        var evaluations = 0
    }
    private let state = Mutex(State())

    public init(thresholds: AlertThresholds = AlertThresholds(), rules: [any AlertRule]? = nil, resolvedCapacity: Int = 200) {
        self.thresholds = thresholds
        self.rules = (rules ?? HealthRules.standard(thresholds)).filter { !thresholds.disabled.contains($0.id) }
        self.resolvedCapacity = resolvedCapacity
    }

    /// Runs every rule on `snapshot` and applies the verdicts. Returns what changed.
    @discardableResult
    public func evaluate(_ snapshot: MetricsSnapshot, now: Double) -> [AlertTransition] {
        var all: [AlertEvaluation] = []
        for rule in rules { all.append(contentsOf: rule.evaluate(snapshot, now: now)) }
        return apply(all, now: now)
    }

    /// Applies verdicts computed elsewhere (rules, or one-shot checks). Disabled rule ids are ignored;
    /// severity overrides from the thresholds apply.
    @discardableResult
    public func apply(_ evaluations: [AlertEvaluation], now: Double) -> [AlertTransition] {
        let t = thresholds
        return state.withLock { s in
            s.evaluations += 1
            var out: [AlertTransition] = []
            for var e in evaluations where !t.disabled.contains(e.ruleID) {
                if let sev = t.severities[e.ruleID] { e.severity = sev }
                let id = e.id
                if e.firing {
                    s.healthyStreak[id] = nil
                    if var a = s.active[id] {
                        a.lastSeen = now; a.message = e.message; a.value = e.value; a.threshold = e.threshold
                        a.severity = e.severity; a.hits += 1
                        if !e.suggestion.isEmpty { a.suggestion = e.suggestion }
                        s.active[id] = a
                    } else {
                        let a = Alert(id: id, ruleID: e.ruleID, subject: e.subject, severity: e.severity, message: e.message,
                                      metric: e.metric, value: e.value, threshold: e.threshold, suggestion: e.suggestion,
                                      firstSeen: now, lastSeen: now, resolvedAt: nil, mutedUntil: s.mutes[id], hits: 1)
                        s.active[id] = a
                        out.append(AlertTransition(kind: .fired, alert: a))
                    }
                } else if var a = s.active[id] {
                    let streak = (s.healthyStreak[id] ?? 0) + 1
                    guard streak >= t.resolveAfterEvaluations else { s.healthyStreak[id] = streak; continue }
                    s.healthyStreak[id] = nil
                    s.active[id] = nil
                    a.resolvedAt = now
                    a.value = e.value ?? a.value
                    s.resolved.append(a)
                    if s.resolved.count > resolvedCapacity { s.resolved.removeFirst(s.resolved.count - resolvedCapacity) }
                    out.append(AlertTransition(kind: .resolved, alert: a))
                }
            }
            return out
        }
    }

    /// Mutes alert `id` (active now or firing later) until `until` (Unix seconds; `.infinity` for the run).
    public func mute(_ id: String, until: Double) {
        state.withLock { s in s.mutes[id] = until; s.active[id]?.mutedUntil = until }
    }

    public func unmute(_ id: String) {
        state.withLock { s in s.mutes[id] = nil; s.active[id]?.mutedUntil = nil }
    }

    /// Active alerts (most severe first, then newest first) and resolved ones (newest first).
    public func snapshot() -> AlertsSnapshot {
        state.withLock { s in
            let active = s.active.values.sorted {
                $0.severity != $1.severity ? $0.severity > $1.severity : ($0.firstSeen != $1.firstSeen ? $0.firstSeen > $1.firstSeen : $0.id < $1.id)
            }
            return AlertsSnapshot(active: active, resolved: s.resolved.reversed())
        }
    }

    /// Active, unmuted alerts at `now`, as `severity:id` pairs joined by commas — the value stored
    /// under the checkpoint metadata key `alerts` (empty when healthy).
    public func checkpointTag(at now: Double) -> String {
        snapshot().active.filter { !$0.isMuted(at: now) }.map { "\($0.severity.rawValue):\($0.id)" }.joined(separator: ",")
    }

    /// Number of `apply` passes so far.
    public var evaluationCount: Int { state.withLock { $0.evaluations } }
}
