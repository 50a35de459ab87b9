import TendCore

/// A health rule: a pure function of a metrics snapshot and the time (Unix seconds). It returns one
/// evaluation per subject it can judge — firing or healthy — and nothing while data is insufficient.
public protocol AlertRule: Sendable {
    /// Stable id used in `tend.rules` (`<id>.enabled`, `<id>.severity`) and in alert ids.
    var id: String { get }
    func evaluate(_ snapshot: MetricsSnapshot, now: Double) -> [AlertEvaluation]
}

extension MetricsSnapshot {
    /// The last `n` stored points of `key` (raw at the tail), oldest first; empty when absent.
    public func tail(_ key: MetricKey, _ n: Int) -> [SeriesPoint] {
        guard let s = series[key], n > 0 else { return [] }
        return s.suffix(n)
    }

    /// Latest value of `key`, nil when absent.
    public func latest(_ key: MetricKey) -> Double? { series[key]?.latest?.y }
}

/// Formats a figure compactly for alert messages: up to 4 decimals, integers without a point.
func fmt(_ v: Double) -> String {
    guard v.isFinite else { return "\(v)" }
    let a = abs(v)
    if a != 0 && (a >= 1e7 || a < 1e-3) { return "\(v)" }
    let r = (v * 10_000).rounded() / 10_000
    return r == r.rounded() && a < 1e15 ? String(Int(r)) : String(r)
}
